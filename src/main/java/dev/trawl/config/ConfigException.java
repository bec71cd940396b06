package dev.trawl.config;

/** A config that cannot be used; the message is one readable line. */
public class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
