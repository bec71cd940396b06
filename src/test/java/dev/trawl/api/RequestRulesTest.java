package dev.trawl.api;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RequestRulesTest {

  @ParameterizedTest(name = "Host {0} on a node at {1}: {2}")
  @CsvSource(nullValues = "null", value = {
    "127.0.0.1,               127.0.0.1,    true",
    "127.0.0.1:8080,          127.0.0.1,    true",
    "127.9.8.7:1,             127.0.0.1,    true",
    "localhost,               127.0.0.1,    true",
    "LOCALHOST:8080,          127.0.0.1,    true",
    "localhost.:8080,         127.0.0.1,    true",
    "[::1],                   127.0.0.1,    true",
    "[::1]:8080,              127.0.0.1,    true",
    "[0:0:0:0:0:0:0:1]:8080,  127.0.0.1,    true",
    "trawl.lan:8080,          trawl.lan,    true",
    "Trawl.LAN,               trawl.lan,    true",
    "10.0.0.5:8080,           10.0.0.5,     true",
    "[fd00::5]:8080,          fd00::5,      true",
    "evil.example,            127.0.0.1,    false",
    "evil.example:8080,       127.0.0.1,    false",
    "127.0.0.1.evil.example,  127.0.0.1,    false",
    "localhost.evil.example,  127.0.0.1,    false",
    "128.0.0.1,               127.0.0.1,    false",
    "127.0.0.256,             127.0.0.1,    false",
    "10.0.0.6:8080,           10.0.0.5,     false",
    "0.0.0.0:8080,            0.0.0.0,      false",
    "[::]:8080,               ::,           false",
    "[::ffff:127.0.0.1],      127.0.0.1,    false",
    "localhost:80:80,         127.0.0.1,    false",
    "localhost:http,          127.0.0.1,    false",
    ":8080,                   127.0.0.1,    false",
    "[::1,                    127.0.0.1,    false",
    "'',                      127.0.0.1,    false",
    "null,                    127.0.0.1,    false"})
  void onlyLoopbackNamesAndTheNodesOwnHostAreAllowed(String host, String ownHost, boolean allowed) {
    assertEquals(allowed, RequestRules.hostAllowed(host, ownHost));
  }

  @ParameterizedTest(name = "Authorization {0}: {1}")
  @CsvSource(nullValues = "null", value = {
    "Bearer s3cret,   true",
    "bearer s3cret,   true",
    "BEARER s3cret,   true",
    "'Bearer  s3cret', true",
    "Bearer s3cre,    false",
    "Bearer s3cret2,  false",
    "Basic s3cret,    false",
    "s3cret,          false",
    "Bearer,          false",
    "null,            false"})
  void theBearerSchemeIsCaseInsensitiveAndTheTokenIsNot(String authorization, boolean matches) {
    assertEquals(matches, RequestRules.bearerMatches(authorization, "s3cret"));
  }

  @ParameterizedTest(name = "Content-Type {0}: {1}")
  @CsvSource(nullValues = "null", value = {
    "application/json,                 true",
    "application/json; charset=utf-8,  true",
    "Application/JSON;charset=UTF-8,   true",
    "text/plain,                       false",
    "application/x-www-form-urlencoded, false",
    "multipart/form-data; boundary=x,  false",
    "application/jsonp,                false",
    "application/json-seq,             false",
    "'',                               false",
    "null,                             false"})
  void aJobMustBeSentAsJson(String contentType, boolean json) {
    assertEquals(json, RequestRules.isJson(contentType));
  }
}
