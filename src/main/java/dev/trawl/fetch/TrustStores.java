package dev.trawl.fetch;

import io.vertx.core.net.TrustOptions;

import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * {@code fetch.trustStore}: CA certificates of a PEM file trusted besides the JDK's own, for
 * servers of a private CA. Vert.x's {@code PemTrustOptions} would trust the file's certificates
 * instead of the JDK's, so the two are put in one key store here.
 */
public final class TrustStores {

  private TrustStores() {
  }

  /** Why the file cannot serve as {@code fetch.trustStore}, or null when it can. */
  public static String problemWith(Path pem) {
    try {
      return certificates(pem).isEmpty() ? "holds no PEM certificate: " + pem : null;
    } catch (IOException e) {
      return "cannot be read: " + pem + " (" + e.getMessage() + ")";
    } catch (GeneralSecurityException e) {
      return "is not a PEM file of certificates: " + pem;
    }
  }

  /** The JDK's CAs and those of {@code pem}, as a client's trust. Reads files: call it off the event loop. */
  static TrustOptions jdkAnd(Path pem) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    jdk.init((KeyStore) null);
    int n = 0;
    for (TrustManager manager : jdk.getTrustManagers()) {
      if (manager instanceof X509TrustManager x509) {
        for (X509Certificate ca : x509.getAcceptedIssuers()) {
          store.setCertificateEntry("jdk-" + n++, ca);
        }
      }
    }
    for (Certificate ca : certificates(pem)) {
      store.setCertificateEntry("trust-store-" + n++, ca);
    }
    TrustManagerFactory both = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    both.init(store);
    return TrustOptions.wrap(both);
  }

  private static Collection<? extends Certificate> certificates(Path pem) throws IOException, GeneralSecurityException {
    try (InputStream in = Files.newInputStream(pem)) {
      return CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
  }
}
