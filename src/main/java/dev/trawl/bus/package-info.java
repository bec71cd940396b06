/** Event-bus addresses and reply codes, and the one type that carries a rejection in a reply failure. */
package dev.trawl.bus;
