/** The jar's entry point: the user commands, the benchmark tools, or the service launcher. */
package dev.trawl.launch;
