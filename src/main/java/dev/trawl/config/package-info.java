/** Node configuration: defaults, the config file, environment overrides. */
package dev.trawl.config;
