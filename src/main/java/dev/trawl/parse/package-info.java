/** Turning a body into data: pure extraction with Jsoup and JSON Pointers. */
package dev.trawl.parse;
