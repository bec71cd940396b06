/** Fetching one try of one request: the verticle, the exchange on the wire, redirects, limits, outcomes. */
package dev.trawl.fetch;
