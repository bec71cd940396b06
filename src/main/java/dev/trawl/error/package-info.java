/** Error kinds, the one failure type, and how a throwable is classified: no feature imported. */
package dev.trawl.error;
