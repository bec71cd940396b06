# Trawl: every target wraps Maven; nothing else needs installing but a JDK 17 and Maven.
JAR := target/trawl.jar
# bin/trawl is how Trawl runs: it picks the JDK (JAVA_HOME, else the newest JDK 25 or later it
# finds, else java on the PATH) and the JVM flags for the mode (one-shot or service), and maps the
# cache trained here for that JDK: an AOT cache on 25 or later (classes loaded and linked, method
# profiles), a class-data archive before. A JVM that finds its cache missing or stale goes on
# without it. The cache is trained for the JDK bin/trawl picks and, when that is another one, for
# the java on the PATH too (used when JAVA_HOME points at it).
TRAWL := $(abspath bin/trawl)
TRAINED := target/jvm/.trained
MVN := mvn -B

.PHONY: build run test demo cluster-demo bench bench-compare bench-core bench-crawl bench-cluster kit-cmd clean

build: $(JAR) $(TRAINED)

$(JAR): pom.xml $(shell find src/main -type f)
	$(MVN) -DskipTests package

# A training run (trawl train: pages, a crawl, JSON, the HTTP API on a local shop), about 20 s.
$(TRAINED): $(JAR) bin/trawl
	@mkdir -p target/jvm
	@echo "training the JVM cache: $$($(TRAWL) --cache-file)"
	@$(TRAWL) --cache > target/jvm/train.log 2>&1 || echo "no JVM cache (optional; see target/jvm/train.log)"
	@if [ "$$($(TRAWL) --cache-file)" != "$$(env -u JAVA_HOME TRAWL_JDK_DIRS=/nonexistent $(TRAWL) --cache-file)" ]; then \
	  echo "training the JVM cache: $$(env -u JAVA_HOME TRAWL_JDK_DIRS=/nonexistent $(TRAWL) --cache-file)"; \
	  env -u JAVA_HOME TRAWL_JDK_DIRS=/nonexistent $(TRAWL) --cache >> target/jvm/train.log 2>&1 \
	    || echo "no JVM cache for the java on the PATH (optional; see target/jvm/train.log)"; fi
	@touch $@

run: build
	$(TRAWL) -conf conf/config.json

test:
	$(MVN) verify

demo: build
	$(TRAWL) demo -conf conf/demo.json

# Three clustered nodes on loopback, one job across them: who fetched what. Needs python3.
cluster-demo: $(JAR)
	bench/cluster.py demo

# W1-W4 on a warm service against Trawl's own local shop, with limits and the parse-only ceiling.
bench: build
	bench/bench.py

# W1 and W4 of make bench on two builds side by side, alternated job by job: make bench-compare OLD_JAR=...
bench-compare: $(JAR)
	@test -n "$(OLD_JAR)" || { echo "usage: make bench-compare OLD_JAR=path/to/an/older/trawl.jar"; exit 2; }
	bench/compare.py $(OLD_JAR)

# The command for the benchmark kit's Trawl slot: TRAWL_CMD="$$(make -s kit-cmd)" ./bench.py run all
# What an operator sets for a benchmark on loopback, in the command: the kit's sites are on
# 127.0.0.1 (private addresses are refused by default), and its one host takes all the kit's
# concurrency at a steady rate (the host limit is 8 by default, and adaptive).
kit-cmd: build
	@echo env TRAWL_FETCH_BLOCK_PRIVATE_NETWORKS=false TRAWL_POLITENESS_PER_HOST=1000 TRAWL_POLITENESS_ADAPTIVE=false $(TRAWL) kit

# The core pipeline's figures: an N-page job; a 1,000,000-line requestsFile job, its heap and resident memory.
bench-core: build
	bench/core.sh

# A crawl of a local 100,000-page site from its front page: the live heap per million URLs seen.
bench-crawl: build
	bench/crawl.sh

# A latency-bound job on 1, 2 and 3 nodes; one node clustered against unclustered.
bench-cluster: $(JAR)
	bench/cluster.py bench

clean:
	$(MVN) clean
