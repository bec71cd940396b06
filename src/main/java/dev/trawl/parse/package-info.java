/** Turning a body into data: pure extraction with jsoup (CSS, XPath), RE2/J, JSON Pointers and JSONPath. */
package dev.trawl.parse;
