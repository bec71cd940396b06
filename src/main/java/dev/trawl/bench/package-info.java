/** Benchmark tools apart from the user CLI: the shop server, the kit's peer slot, a load limit, the parse ceiling. */
package dev.trawl.bench;
