# Trawl: every target wraps Maven; nothing else needs installing but a JDK 17 and Maven.
JAR := target/trawl.jar
JAVA_OPTS ?= -XX:+UseSerialGC -Xmx512m
MVN := mvn -B

.PHONY: build run test demo cluster-demo bench bench-core bench-crawl bench-cluster clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main -type f)
	$(MVN) -DskipTests package

run: $(JAR)
	java $(JAVA_OPTS) -jar $(JAR) -conf conf/config.json

test:
	$(MVN) verify

demo: $(JAR)
	java $(JAVA_OPTS) -jar $(JAR) demo -conf conf/demo.json

# Three clustered nodes on loopback, one job across them: who fetched what. Needs python3.
cluster-demo: $(JAR)
	bench/cluster.py demo

# W1-W4 on a warm service against Trawl's own local shop, with limits and the parse-only ceiling.
bench: $(JAR)
	bench/bench.py

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
