/** Trawl: a web-scraping service on Eclipse Vert.x 5. */
package dev.trawl;
