/** The command line: the service launcher, run JOB.json, the demo. */
package dev.trawl.cli;
