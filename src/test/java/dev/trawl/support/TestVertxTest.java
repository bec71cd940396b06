package dev.trawl.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which stalls the strict blocked-thread checker forgives: a cold JVM loading classes or linking, nothing else. */
class TestVertxTest {

  private static StackTraceElement frame(String className, String method) {
    return new StackTraceElement(className, method, null, -1);
  }

  @Test
  void aStaticInitialiserIsAColdJvmNotABlock() {
    assertTrue(TestVertx.loadingClasses(new StackTraceElement[] {
      frame("jdk.jfr.internal.MetadataRepository", "register"),
      frame("io.netty.buffer.AdaptivePoolingAllocator", "<clinit>"),
      frame("io.vertx.core.net.impl.VertxHandler", "setConnection")}));
  }

  @Test
  void defineClassIsAColdJvmNotABlock() {
    assertTrue(TestVertx.loadingClasses(new StackTraceElement[] {
      frame("java.lang.ClassLoader", "defineClass1"),
      frame("jdk.internal.loader.BuiltinClassLoader", "loadClassOrNull")}));
  }

  @Test
  void linkingACallSiteIsAColdJvmNotABlock() {
    assertTrue(TestVertx.loadingClasses(new StackTraceElement[] {
      frame("java.lang.invoke.MethodType$ConcurrentWeakInternSet", "add"),
      frame("java.lang.invoke.MethodHandleNatives", "findMethodHandleType"),
      frame("java.util.concurrent.atomic.AtomicIntegerArray", "lazySet"),
      frame("io.netty.util.concurrent.MpscIntQueue", "create")}));
  }

  @Test
  void aSleepIsABlock() {
    assertFalse(TestVertx.loadingClasses(new StackTraceElement[] {
      frame("java.lang.Thread", "sleep"),
      frame("dev.trawl.job.JobRunner", "step")}));
  }

  @Test
  void aRegexIsABlock() {
    assertFalse(TestVertx.loadingClasses(new StackTraceElement[] {
      frame("java.util.regex.Pattern$Loop", "match"),
      frame("dev.trawl.parse.Links", "wanted")}));
  }
}
