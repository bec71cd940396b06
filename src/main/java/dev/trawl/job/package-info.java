/** Jobs: validation, sources of requests, the coordinator that owns their state and modes. */
package dev.trawl.job;
