/** The HTTP API: routes over the event-bus API, and the checks a request passes first (Host, token, JSON). */
package dev.trawl.api;
