#!/usr/bin/env bash
# Issue 14's store choice, measured: the cost per completion of keeping job state in a journal beside
# the results (what Trawl does) against H2's MVStore (an embedded store), both alongside the same
# results file written as the sink writes it, and the time to read each back to resume. Fetches
# com.h2database:h2 through Maven (it is not a dependency of Trawl). Usage: bench/store.sh
set -euo pipefail
cd "$(dirname "$0")"
H2_VERSION=2.2.224
mvn -B -q dependency:get -Dartifact=com.h2database:h2:$H2_VERSION > /dev/null
H2=~/.m2/repository/com/h2database/h2/$H2_VERSION/h2-$H2_VERSION.jar
OUT=$(mktemp -d /tmp/trawl-store.XXXXXX)
javac -d "$OUT" -cp "$H2" store/StoreBench.java
java -Xmx512m -cp "$OUT:$H2" StoreBench
