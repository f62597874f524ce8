/*
 * Every way to authenticate to WorkoutKit Gateway, from Java 17 with the JDK only, then one API
 * call each. A single file: run it without a build tool.
 *
 *   WK_BASE_URL=http://127.0.0.1:3000/sandbox WK_CLIENT_NAME=acme-app WK_CLIENT_SECRET=... \
 *     java examples/java/WorkoutKitExample.java
 *
 * 1. an issued token: POST /authtoken with the client's name and secret;
 * 2. a self-signed HS256 token with the client secret;
 * 3. a self-signed ES256 token with the client's own key: with WK_ADMIN_KEY set (the local
 *    gateway's operator key) it generates a P-256 key and registers its public JWKS first; in AWS
 *    the platform team registers your JWKS (or JWKS URL) instead.
 *
 * Each way calls GET /v1/auth/verify and prints one JSON line: {"way", "status", "body"}.
 * A real integration would use a JSON library (Jackson, Gson) and a JOSE library (nimbus-jose-jwt);
 * this file stays dependency-free so it runs anywhere Java 17 does.
 */
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class WorkoutKitExample {
  static final String BASE = env("WK_BASE_URL", "http://127.0.0.1:3000/sandbox").replaceAll("/+$", "");
  static final String CLIENT = env("WK_CLIENT_NAME", null);
  static final String SECRET = env("WK_CLIENT_SECRET", null);
  static final String SUB = env("WK_SUB", "user-123");
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  public static void main(String[] args) throws Exception {
    if (CLIENT == null || SECRET == null) {
      System.err.println("Set WK_CLIENT_NAME and WK_CLIENT_SECRET (npx workoutkit client create <name> prints the secret once).");
      System.exit(2);
    }
    verify("issued", issuedToken());
    verify("client-hs256", hs256Token());
    verify("client-asymmetric", es256Token());
  }

  static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isEmpty() ? fallback : v;
  }

  static String b64url(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** Escapes a string for a JSON literal (enough for names, ids and secrets). */
  static String js(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  record Answer(int status, String body) {}

  static Answer call(String method, String path, String jsonBody, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path))
        .timeout(Duration.ofSeconds(15))
        .header("X-Request-Id", "java-" + UUID.randomUUID())
        .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody));
    if (jsonBody != null) b.header("Content-Type", "application/json");
    for (int i = 0; i + 1 < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    HttpResponse<String> res = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(res.statusCode(), res.body());
  }

  static void verify(String way, String token) throws Exception {
    Answer a = call("GET", "/v1/auth/verify", null, "Authorization", "Bearer " + token);
    System.out.println("{\"way\":" + js(way) + ",\"status\":" + a.status() + ",\"body\":" + a.body() + "}");
  }

  static String issuedToken() throws Exception {
    Answer a = call("POST", "/authtoken", "{\"clientName\":" + js(CLIENT) + ",\"clientSecret\":" + js(SECRET) + ",\"sub\":" + js(SUB) + "}");
    if (a.status() != 200) throw new IllegalStateException("/authtoken answered " + a.status() + ": " + a.body());
    Matcher m = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(a.body());
    if (!m.find()) throw new IllegalStateException("no token in " + a.body());
    return m.group(1); // valid 4 h: reuse it until expiresAt
  }

  static String claims() {
    long now = System.currentTimeMillis() / 1000;
    return "{\"clientName\":" + js(CLIENT) + ",\"sub\":" + js(SUB) + ",\"iat\":" + now + ",\"exp\":" + (now + 300) + "}";
  }

  static String signingInput(String headerJson) {
    return b64url(headerJson.getBytes(StandardCharsets.UTF_8)) + "." + b64url(claims().getBytes(StandardCharsets.UTF_8));
  }

  static String hs256Token() throws Exception {
    String input = signingInput("{\"alg\":\"HS256\",\"typ\":\"JWT\"}");
    Mac mac = Mac.getInstance("HmacSHA256");
    // The HMAC key is the UTF-8 bytes of the secret string, as jsonwebtoken.sign(payload, secret) does.
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return input + "." + b64url(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
  }

  /** A coordinate as the 32 big-endian bytes a P-256 JWK wants (BigInteger may add or drop a byte). */
  static byte[] coordinate(BigInteger v) {
    byte[] raw = v.toByteArray();
    byte[] out = new byte[32];
    int n = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - n, out, 32 - n, n);
    return out;
  }

  static String es256Token() throws Exception {
    KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair pair = gen.generateKeyPair();
    ECPublicKey pub = (ECPublicKey) pair.getPublic();
    String kid = "java-" + UUID.randomUUID().toString().substring(0, 8);
    String jwk = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"kid\":" + js(kid) + ",\"alg\":\"ES256\",\"use\":\"sig\",\"x\":"
        + js(b64url(coordinate(pub.getW().getAffineX()))) + ",\"y\":" + js(b64url(coordinate(pub.getW().getAffineY()))) + "}";
    String adminKey = env("WK_ADMIN_KEY", null);
    if (adminKey != null) {
      Answer a = call("PUT", "/admin/clients/" + CLIENT + "/keys", "{\"jwks\":{\"keys\":[" + jwk + "]}}", "X-WorkoutKit-Admin-Key", adminKey);
      if (a.status() != 200) throw new IllegalStateException("registering the JWKS answered " + a.status() + ": " + a.body());
      // The gateway's authorizers keep a client's keys for up to 5 s: a new key is accepted once that has passed.
      Thread.sleep(6000);
    }
    String input = signingInput("{\"alg\":\"ES256\",\"typ\":\"JWT\",\"kid\":" + js(kid) + "}");
    // P1363 format = the raw 64-byte r || s that JWS wants (plain SHA256withECDSA gives DER).
    Signature sig = Signature.getInstance("SHA256withECDSAinP1363Format");
    sig.initSign(pair.getPrivate());
    sig.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64url(sig.sign());
  }
}
