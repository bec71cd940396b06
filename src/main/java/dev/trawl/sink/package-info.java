/** Writing results and summaries to disk through AsyncFile. */
package dev.trawl.sink;
