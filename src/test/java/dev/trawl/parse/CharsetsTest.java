package dev.trawl.parse;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CharsetsTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "text/html; charset=utf-8 | <meta charset=shift_jis> | UTF-8",
    "text/html; charset=iso-8859-1 | x | windows-1252",
    "text/html | <meta charset=\"Shift_JIS\"> | Shift_JIS",
    "text/html | <meta http-equiv=Content-Type content='text/html; charset=EUC-JP'> | EUC-JP",
    "text/html | <meta charset=utf-16> | UTF-8",
    "text/html | <p>no declaration</p> | windows-1252",
    "text/html; charset= | <p>x</p> | windows-1252",
    "text/html; charset=utf 8 | <p>x</p> | windows-1252",
    " | <meta charset=bogus-name><meta charset=utf-8> | UTF-8"})
  void headerThenMetaThenTheHtmlDefault(String contentType, String head, String expected) {
    assertEquals(expected, Charsets.ofHtml(head.getBytes(StandardCharsets.ISO_8859_1), contentType).name());
  }

  @ParameterizedTest
  @CsvSource({"EFBBBF, UTF-8, 3", "FEFF, UTF-16BE, 2", "FFFE, UTF-16LE, 2"})
  void aByteOrderMarkBeatsTheMeta(String bomHex, String expected, int length) {
    byte[] bom = java.util.HexFormat.of().parseHex(bomHex);
    byte[] body = new byte[bom.length + 10];
    System.arraycopy(bom, 0, body, 0, bom.length);
    assertEquals(expected, Charsets.ofHtml(body, "text/html").name());
    assertEquals(length, Charsets.bomLength(body));
  }
}
