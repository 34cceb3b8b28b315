/*
 * Runs librdkafka's mock cluster (a real Kafka-protocol broker, in memory) on loopback for the
 * tests. Prints "BOOTSTRAP <host:port,...>" once it listens, then obeys one command per line on
 * stdin and answers "OK" or "ERR <reason>" for each:
 *   down <broker-id>            the broker drops its connections and refuses new ones
 *   up <broker-id>              the broker serves again (the data it held is kept)
 *   topic <name> <partitions>   creates a topic (1 replica)
 *   rtt <broker-id> <ms>        adds round-trip latency
 * End of input (or "quit") destroys the cluster and exits, so a test that dies takes it along.
 */
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  int brokers = argc > 1 ? atoi(argv[1]) : 1;
  char errstr[512];
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  /* The host handle only carries the mock cluster's threads; it never talks to it. */
  if (rd_kafka_conf_set(conf, "log_level", "0", errstr, sizeof errstr) != RD_KAFKA_CONF_OK) {
    fprintf(stderr, "config: %s\n", errstr);
    return 2;
  }
  rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof errstr);
  if (!rk) {
    fprintf(stderr, "rd_kafka_new: %s\n", errstr);
    return 2;
  }
  rd_kafka_mock_cluster_t *mc = rd_kafka_mock_cluster_new(rk, brokers < 1 ? 1 : brokers);
  if (!mc) {
    fprintf(stderr, "rd_kafka_mock_cluster_new failed\n");
    return 2;
  }
  printf("BOOTSTRAP %s\n", rd_kafka_mock_cluster_bootstraps(mc));
  fflush(stdout);

  char line[1024], name[512];
  int a, b;
  while (fgets(line, sizeof line, stdin)) {
    rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
    if (sscanf(line, "down %d", &a) == 1) {
      err = rd_kafka_mock_broker_set_down(mc, a);
    } else if (sscanf(line, "up %d", &a) == 1) {
      err = rd_kafka_mock_broker_set_up(mc, a);
    } else if (sscanf(line, "topic %511s %d", name, &a) == 2) {
      err = rd_kafka_mock_topic_create(mc, name, a, 1);
    } else if (sscanf(line, "rtt %d %d", &a, &b) == 2) {
      err = rd_kafka_mock_broker_set_rtt(mc, a, b);
    } else if (strncmp(line, "quit", 4) == 0) {
      break;
    } else {
      printf("ERR unknown command: %s", line);
      fflush(stdout);
      continue;
    }
    if (err) printf("ERR %s\n", rd_kafka_err2str(err));
    else printf("OK\n");
    fflush(stdout);
  }
  rd_kafka_mock_cluster_destroy(mc);
  rd_kafka_destroy(rk);
  return 0;
}
