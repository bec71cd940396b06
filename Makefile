# Trawl: every target wraps Maven; nothing else needs installing but a JDK 17 and Maven.
JAR := target/trawl.jar
# The archive below records the jar's path as given, and is used only when the jar is given alike.
JAR_PATH := $(abspath $(JAR))
# A class-data archive of the classes Trawl loads (AppCDS), made by a training run of `trawl demo`
# after each build: a JVM that maps it starts in about half the time. A stale or missing archive
# is ignored by the JVM (the log lines saying so are switched off).
JSA := target/trawl.jsa
CDS := -XX:SharedArchiveFile=$(abspath $(JSA)) -Xlog:cds=off -Xlog:cds+dynamic=off
# A service runs for long: C2 compiles its hot path (after ~100k pages on 2 busy cores). Serial GC
# and a small heap keep the resident set near 200 MB; raise -Xmx for jobs with large bodies (parses
# share half the heap, see parse.ParseBudget). An OutOfMemoryError ends the JVM: a node that ran
# out would otherwise limp on with promises never completed.
JAVA_OPTS ?= -XX:+UseSerialGC -Xmx128m -XX:+ExitOnOutOfMemoryError $(CDS)
# A one-shot CLI run (trawl run, trawl kit) is over before C2 pays back its compile time on 2
# cores: C1 only was faster on every workload of the benchmark kit.
CLI_OPTS ?= -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx96m -XX:+ExitOnOutOfMemoryError $(CDS)
MVN := mvn -B

.PHONY: build run test demo cluster-demo bench bench-compare bench-core bench-crawl bench-cluster kit-cmd clean

build: $(JAR) $(JSA)

$(JAR): pom.xml $(shell find src/main -type f)
	$(MVN) -DskipTests package

$(JSA): $(JAR)
	rm -f $(JSA)
	java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:ArchiveClassesAtExit=$(JSA) -Xlog:cds=off -Xlog:cds+dynamic=off \
	  -jar $(JAR_PATH) demo -conf conf/demo.json > /dev/null 2>&1 || { rm -f $(JSA); echo "no class-data archive (optional)"; }

run: build
	java $(JAVA_OPTS) -jar $(JAR_PATH) -conf conf/config.json

test:
	$(MVN) verify

demo: build
	java $(JAVA_OPTS) -jar $(JAR_PATH) demo -conf conf/demo.json

# Three clustered nodes on loopback, one job across them: who fetched what. Needs python3.
cluster-demo: $(JAR)
	bench/cluster.py demo

# W1-W4 on a warm service against Trawl's own local shop, with limits and the parse-only ceiling.
bench: build
	TRAWL_JAVA_OPTS="$(JAVA_OPTS)" bench/bench.py

# W1 and W4 of make bench on two builds side by side, alternated job by job: make bench-compare OLD_JAR=...
bench-compare: $(JAR)
	@test -n "$(OLD_JAR)" || { echo "usage: make bench-compare OLD_JAR=path/to/an/older/trawl.jar"; exit 2; }
	bench/compare.py $(OLD_JAR)

# The command for the benchmark kit's Trawl slot: TRAWL_CMD="$$(make -s kit-cmd)" ./bench.py run all
kit-cmd: build
	@echo java $(CLI_OPTS) -jar $(JAR_PATH) kit

# The core pipeline's figures: an N-page job and a 1,000,000-line requestsFile under -Xmx256m.
bench-core: $(JAR)
	bench/core.sh

# A crawl of a local 100,000-page site from its front page, under -Xmx256m.
bench-crawl: $(JAR)
	bench/crawl.sh

# A latency-bound job on 1, 2 and 3 nodes; one node clustered against unclustered.
bench-cluster: $(JAR)
	bench/cluster.py bench

clean:
	$(MVN) clean
