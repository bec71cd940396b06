/** What nodes share over the clustered event bus: message codecs, membership beats, and each node's claim on its node.id. */
package dev.trawl.cluster;
