/** The command line: the service launcher, run JOB.json, the demo (and Main, which also dispatches the bench tools). */
package dev.trawl.cli;
