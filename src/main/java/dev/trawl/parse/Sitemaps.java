package dev.trawl.parse;

import crawlercommons.sitemaps.AbstractSiteMap;
import crawlercommons.sitemaps.SiteMap;
import crawlercommons.sitemaps.SiteMapIndex;
import crawlercommons.sitemaps.SiteMapParser;
import crawlercommons.sitemaps.SiteMapURL;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a sitemap or sitemap index from bytes already fetched, with crawler-commons (XML, text or
 * gzipped). No I/O: {@code SiteMapParser.parseSiteMap(URL)} would fetch, this never calls it. The
 * URL is only the sitemap's location, for resolving and checking its entries; its equals and
 * hashCode (which may resolve DNS) are never used.
 */
public final class Sitemaps {

  /** What a sitemap lists: pages, or (for an index) further sitemaps. */
  public record Read(List<String> pages, List<String> sitemaps) {
  }

  private Sitemaps() {
  }

  static Read read(String contentType, byte[] body, String location) throws Exception {
    SiteMapParser parser = new SiteMapParser(false);
    AbstractSiteMap map = parser.parseSiteMap(contentType == null ? "" : contentType, body, new URL(location));
    List<String> pages = new ArrayList<>();
    List<String> sitemaps = new ArrayList<>();
    if (map.isIndex()) {
      for (AbstractSiteMap child : ((SiteMapIndex) map).getSitemaps()) {
        sitemaps.add(child.getUrl().toString());
      }
    } else {
      for (SiteMapURL entry : ((SiteMap) map).getSiteMapUrls()) {
        pages.add(entry.getUrl().toString());
      }
    }
    return new Read(pages, sitemaps);
  }
}
