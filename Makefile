# Trawl: every target wraps Maven; nothing else needs installing but a JDK 17 and Maven.
JAR := target/trawl.jar
JAVA_OPTS ?= -XX:+UseParallelGC -Xss512k
MVN := mvn -B

.PHONY: build run test demo clean

build: $(JAR)

$(JAR): pom.xml $(shell find src/main -type f)
	$(MVN) -DskipTests package

run: $(JAR)
	java $(JAVA_OPTS) -jar $(JAR) -conf conf/config.json

test:
	$(MVN) verify

demo: $(JAR)
	java $(JAVA_OPTS) -jar $(JAR) demo -conf conf/demo.json

clean:
	$(MVN) clean
