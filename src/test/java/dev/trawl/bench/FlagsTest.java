package dev.trawl.bench;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FlagsTest {

  private static final Set<String> KNOWN = Set.of("--port", "--name");

  @Test
  void givenValuesAreRead() {
    Flags flags = Flags.parse(new String[] {"--port", "9000", "--name", "shop"}, KNOWN);
    assertEquals(9000, flags.integer("--port", 1));
    assertEquals("shop", flags.text("--name", null));
  }

  @Test
  void absentNamesTakeTheirDefault() {
    assertEquals(18080L, Flags.parse(new String[0], KNOWN).number("--port", 18080));
  }

  @Test
  void anUnknownNameIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
      () -> Flags.parse(new String[] {"--bogus", "1"}, KNOWN));
    assertEquals("unknown argument --bogus", e.getMessage());
  }

  @Test
  void aTrailingNameWithoutAValueIsIgnored() {
    assertEquals(1, Flags.parse(new String[] {"--port"}, KNOWN).integer("--port", 1));
  }
}
