package dev.trawl;

import java.lang.management.ManagementFactory;

/** The name results give for the node that fetched them ({@code pid@host}). */
public final class NodeId {

  private static final String ID = ManagementFactory.getRuntimeMXBean().getName();

  private NodeId() {
  }

  public static String get() {
    return ID;
  }
}
