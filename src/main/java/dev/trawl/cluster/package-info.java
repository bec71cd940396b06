/** Event-bus codecs shared by every node; clustering itself comes with the cluster issue. */
package dev.trawl.cluster;
