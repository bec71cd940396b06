/** Fetching one try of one request: the shared WebClient, redirects, limits, error kinds. */
package dev.trawl.fetch;
