/** URLs, hosts and cookies as a browser reads them: pure, no DNS, no feature imported. */
package dev.trawl.web;
