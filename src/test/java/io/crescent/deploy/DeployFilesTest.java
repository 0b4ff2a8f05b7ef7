package io.crescent.deploy;

import io.crescent.config.ProxyConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks the deployment artifacts under {@code deploy/} without docker or kubectl: the Kubernetes
 * manifests parse and fit together, Crescent's config in them is one the proxy accepts, and the
 * systemd unit and Containerfile run the jar the build makes.
 */
class DeployFilesTest {

  private static final Path DEPLOY = Path.of("deploy");
  private static List<Map<String, Object>> documents;

  @BeforeAll
  static void parseManifests() throws IOException {
    documents = new ArrayList<>();
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    for (Object doc : yaml.loadAll(Files.readString(DEPLOY.resolve("kubernetes/crescent.yaml")))) {
      if (doc != null) {
        documents.add(map(doc));
      }
    }
  }

  @Test
  void everyDocumentHasApiVersionAndKind() {
    assertTrue(documents.size() >= 3, "ConfigMap, Deployment and Service");
    for (Map<String, Object> doc : documents) {
      assertTrue(doc.get("apiVersion") instanceof String, "apiVersion in " + doc);
      assertTrue(doc.get("kind") instanceof String, "kind in " + doc);
      assertNotNull(map(doc.get("metadata")).get("name"), "metadata.name in " + doc);
    }
  }

  @Test
  void podRunsRedisAndCrescentWithProbesOnTheMetricsPort() {
    Map<String, Object> template = map(map(workload().get("spec")).get("template"));
    List<Object> containers = list(map(template.get("spec")).get("containers"));
    assertEquals(2, containers.size());
    assertTrue(containers.stream().anyMatch(c -> String.valueOf(map(c).get("image")).startsWith("redis:")),
        "a redis container");
    Map<String, Object> crescent = crescentContainer();

    int metricsPort = containerPort(crescent, "metrics");
    assertEquals(9121, metricsPort);
    assertProbe(crescent, "readinessProbe", "/ready", metricsPort);
    assertProbe(crescent, "livenessProbe", "/health", metricsPort);
    assertEquals(5299, containerPort(crescent, "redis-cluster"));

    Map<String, Object> annotations = map(map(template.get("metadata")).get("annotations"));
    assertEquals("true", annotations.get("prometheus.io/scrape"));
    assertEquals(String.valueOf(metricsPort), annotations.get("prometheus.io/port"));
    assertEquals("/metrics", annotations.get("prometheus.io/path"));
    assertNotNull(crescent.get("resources"));
  }

  @Test
  void crescentConfigHasOnlyKnownKeysAndListensWhereThePodSaysIt() {
    Map<String, Object> configMap = document("ConfigMap");
    JsonObject json = new JsonObject((String) map(configMap.get("data")).get("crescent.json"));
    ProxyConfig config = ProxyConfig.from(json, Map.of());
    assertEquals("0.0.0.0:5299", config.address().toString());
    assertEquals("0.0.0.0:9121", config.metricsAddress().toString());

    Map<String, Object> crescent = crescentContainer();
    String announce = null;
    boolean podIpFromDownwardApi = false;
    for (Object e : list(crescent.get("env"))) {
      Map<String, Object> env = map(e);
      if ("CRESCENT_ANNOUNCE_ADDRESS".equals(env.get("name"))) {
        announce = (String) env.get("value");
      }
      if (env.get("valueFrom") != null
          && "status.podIP".equals(map(map(env.get("valueFrom")).get("fieldRef")).get("fieldPath"))) {
        podIpFromDownwardApi = true;
      }
    }
    assertTrue(podIpFromDownwardApi, "the pod IP comes from the downward API");
    assertEquals("$(POD_IP):5299", announce);
    // The environment override must be accepted the way the proxy reads it.
    ProxyConfig.from(json, Map.of("CRESCENT_ANNOUNCE_ADDRESS", "10.1.2.3:5299"));

    String configName = (String) map(configMap.get("metadata")).get("name");
    Map<String, Object> podSpec = map(map(map(workload().get("spec")).get("template")).get("spec"));
    assertTrue(list(podSpec.get("volumes")).stream()
            .anyMatch(v -> map(v).get("configMap") != null
                && configName.equals(map(map(v).get("configMap")).get("name"))),
        "the ConfigMap is mounted");
    assertTrue(list(crescent.get("volumeMounts")).stream()
        .anyMatch(m -> "/etc/crescent".equals(map(m).get("mountPath"))), "at /etc/crescent");
  }

  @Test
  void serviceExposesTheProxyPortAndSelectsThePod() {
    Map<String, Object> spec = map(document("Service").get("spec"));
    assertTrue(list(spec.get("ports")).stream().anyMatch(p -> Integer.valueOf(5299).equals(map(p).get("port"))));
    Map<String, Object> podLabels = map(map(map(map(workload().get("spec")).get("template")).get("metadata"))
        .get("labels"));
    map(spec.get("selector")).forEach((k, v) -> assertEquals(v, podLabels.get(k), "selector " + k));
  }

  @Test
  void systemdUnitRunsTheJarWithTheConfig() throws IOException {
    String unit = Files.readString(DEPLOY.resolve("systemd/crescent.service"));
    String execStart = unit.lines().filter(l -> l.startsWith("ExecStart=")).findFirst().orElseThrow();
    assertTrue(execStart.contains("-jar /opt/crescent/crescent.jar"), execStart);
    assertTrue(execStart.contains("-conf /etc/crescent/crescent.json"), execStart);
    for (String key : List.of("User=", "Restart=on-failure", "NoNewPrivileges=yes", "ProtectSystem=strict",
        "LimitNOFILE=", "TimeoutStopSec=")) {
      assertTrue(unit.lines().anyMatch(l -> l.startsWith(key)), key);
    }
  }

  @Test
  void containerfileBuildsAndRunsTheShadedJar() throws IOException {
    String file = Files.readString(DEPLOY.resolve("container/Containerfile"));
    assertTrue(file.contains("FROM maven:3.9-eclipse-temurin-17 AS build"));
    assertTrue(file.contains("FROM eclipse-temurin:17-jre"));
    assertTrue(file.contains("target/crescent.jar"));
    assertTrue(file.lines().anyMatch(l -> l.startsWith("USER ") && !l.contains("root")), "non-root");
    assertTrue(file.contains("EXPOSE 5299 9121"));
    String pom = Files.readString(Path.of("pom.xml"));
    assertTrue(pom.contains("<finalName>crescent</finalName>"), "the build names its jar crescent.jar");
  }

  private static Map<String, Object> workload() {
    return documents.stream().filter(d -> List.of("Deployment", "StatefulSet").contains(d.get("kind")))
        .findFirst().orElseThrow();
  }

  private static Map<String, Object> document(String kind) {
    return documents.stream().filter(d -> kind.equals(d.get("kind"))).findFirst().orElseThrow();
  }

  private static Map<String, Object> crescentContainer() {
    List<Object> containers = list(map(map(map(workload().get("spec")).get("template")).get("spec"))
        .get("containers"));
    return containers.stream().map(DeployFilesTest::map).filter(c -> "crescent".equals(c.get("name")))
        .findFirst().orElseThrow();
  }

  private static int containerPort(Map<String, Object> container, String name) {
    return list(container.get("ports")).stream().map(DeployFilesTest::map)
        .filter(p -> name.equals(p.get("name"))).map(p -> (Integer) p.get("containerPort"))
        .findFirst().orElseThrow(() -> new AssertionError("no port " + name));
  }

  private static void assertProbe(Map<String, Object> container, String probe, String path, int port) {
    Map<String, Object> get = map(map(container.get(probe)).get("httpGet"));
    assertEquals(path, get.get("path"), probe);
    Object p = get.get("port");
    assertTrue(Integer.valueOf(port).equals(p) || containerPort(container, String.valueOf(p)) == port,
        probe + " on the metrics port");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertTrue(o instanceof Map, "expected a mapping, got " + o);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    assertTrue(o instanceof List, "expected a list, got " + o);
    return (List<Object>) o;
  }
}
