package dev.trawl.cluster;

import dev.trawl.support.TestNode;
import dev.trawl.support.TestVertx;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.AsyncMap;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The cluster is not an open door: members listen only on the configured interface, and a
 * {@code node.id} is held by one member at a time. Two clustered Vert.x instances in one JVM, from
 * the shipped {@code cluster.xml} under a cluster name of their own; each test has its own node id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClusterSafetyIT {

  @TempDir
  Path data;
  private TestVertx first;
  private TestVertx second;

  @BeforeAll
  void startCluster() {
    String cluster = "trawl-claim-" + UUID.randomUUID();
    first = TestVertx.clustered(cluster);
    second = TestVertx.clustered(cluster);
  }

  @AfterAll
  void stopCluster() {
    List<String> blocked = new ArrayList<>(first.blockedWarnings());
    blocked.addAll(second.blockedWarnings());
    first.close();
    second.close();
    assertEquals(List.of(), blocked, "an event loop was blocked");
  }

  /** Hazelcast's and the event bus's ports, tried on every address of this machine that is not loopback. */
  @Test
  void membersListenOnTheConfiguredInterfaceOnly() {
    List<InetAddress> others = nonLoopbackAddresses();
    assumeFalse(others.isEmpty(), "this machine has no address besides loopback");
    ClusterManager cluster = ((VertxInternal) first.vertx()).clusterManager();
    int hazelcast = ((HazelcastClusterManager) cluster).getHazelcastInstance().getCluster().getLocalMember()
      .getAddress().getPort();
    int eventBus = cluster.getNodeInfo().port();
    assertTrue(reachable(InetAddress.getLoopbackAddress(), hazelcast), "Hazelcast answers on loopback");
    for (InetAddress address : others) {
      assertFalse(reachable(address, hazelcast), "Hazelcast port " + hazelcast + " open on " + address);
      assertFalse(reachable(address, eventBus), "event bus port " + eventBus + " open on " + address);
    }
  }

  @Test
  void aSecondNodeWithTheSameNodeIdIsRefusedWithOneLineAndServesNothing() {
    new TestNode(first.vertx(), data.resolve("a"), config("twin")).start().await();
    Set<String> before = second.vertx().deploymentIDs();

    Throwable refused = assertThrows(Throwable.class,
      () -> new TestNode(second.vertx(), data.resolve("b"), config("twin")).start().await());

    String message = unwrapped(refused).getMessage();
    assertTrue(message.startsWith("node.id twin is already used by another member of this cluster"), message);
    assertEquals(-1, message.indexOf('\n'), "one line");
    assertEquals(before, second.vertx().deploymentIDs(), "nothing of the refused node stays deployed");
    assertEquals(memberOf(first.vertx()), claims(second.vertx()).get("twin").await(), "the first node keeps its id");
  }

  @Test
  void aClaimLeftByAMemberThatIsGoneDoesNotBlockARestart() {
    claims(first.vertx()).put("phoenix", "a-member-that-was-killed").await();

    deployClaim(second.vertx(), "phoenix");

    assertEquals(memberOf(second.vertx()), claims(first.vertx()).get("phoenix").await());
  }

  @Test
  void aStoppedNodeReleasesItsIdForTheNext() {
    String deployment = deployClaim(first.vertx(), "relay");
    Throwable refused = assertThrows(Throwable.class, () -> deployClaim(second.vertx(), "relay"));
    assertTrue(unwrapped(refused).getMessage().startsWith("node.id relay is already used"), refused.toString());

    first.vertx().undeploy(deployment).await();

    assertNull(claims(second.vertx()).get("relay").await(), "released on stop");
    deployClaim(second.vertx(), "relay");
  }

  private static List<InetAddress> nonLoopbackAddresses() {
    try {
      return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress()).toList();
    } catch (SocketException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean reachable(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 1_000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private static JsonObject config(String nodeId) {
    return new JsonObject().put("node", new JsonObject().put("id", nodeId));
  }

  private static String deployClaim(Vertx vertx, String nodeId) {
    return vertx.deployVerticle(NodeClaim::new, new DeploymentOptions().setConfig(config(nodeId))).await();
  }

  private static AsyncMap<String, String> claims(Vertx vertx) {
    return vertx.sharedData().<String, String>getAsyncMap(NodeClaim.MAP).await();
  }

  private static String memberOf(Vertx vertx) {
    return ((VertxInternal) vertx).clusterManager().getNodeId();
  }

  private static Throwable unwrapped(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }
}
