import { isAbsolute, join } from 'node:path';
import type { Config } from '../config/index.js';
import { getLogger } from '../log/index.js';
import { type PeerInfo, VtpBroadcaster } from '../transport/vtp/broadcaster.js';
import { localIvo } from '../transport/vtp/local-ivo.js';
import { type ReceiverPeer, VtpReceiver } from '../transport/vtp/receiver.js';
import type { AlertDestination, DestinationHealth } from './destination.js';
import { FileDestination } from './destinations/file-destination.js';
import { KafkaDestination } from './destinations/kafka-destination.js';
import { VtpDestination } from './destinations/vtp-destination.js';
import { type EchoCheckOptions, VoeventEchoCheck } from './echo-check.js';
import type { AlertLedger } from './ledger/ledger.js';
import { openAlertLedger } from './ledger/open-ledger.js';
import { AlertSender, type SenderHooks } from './sender.js';

const log = getLogger('alerts');

export type AlertDeliveryConfig = Pick<
  Config,
  | 'kafka_alert_config'
  | 'voevent_broadcaster_address'
  | 'voevent_broadcaster_whitelist'
  | 'voevent_receiver_address'
  | 'voevent_local_ivo'
  | 'voevent_iamalive_interval_s'
  | 'voevent_ack_timeout_s'
  | 'voevent_receiver_silence_s'
  | 'voevent_receiver_max_backoff_s'
  | 'alert_ledger'
  | 'alert_send_timeout_s'
  | 'alert_send_retries'
  | 'alert_claim_lease_s'
  | 'alert_output_dir'
  | 'alert_output_formats'
  | 'broker_url'
  | 'redis_prefix'
  | 'data_dir'
>;

/** What the health check (inspect, Nagios checks 5–8) reads. */
export interface AlertDeliveryHealth {
  broadcasting: boolean;
  voeventBrokerPeers: PeerInfo[];
  receiving: boolean;
  voeventReceiverPeers: ReceiverPeer[];
  destinations: Record<string, DestinationHealth>;
}

export function parseListenAddress(address: string): { host: string; port: number } {
  const match = /^(?:\[([0-9a-fA-F:]+)\]|([^:\s]*)):(\d+)$/.exec(address);
  if (!match) throw new Error(`'${address}' is not [host]:port`);
  return { host: match[1] ?? match[2] ?? '', port: Number(match[3]) };
}

/**
 * Everything alerts need at run time, built from the configuration: the ledger, one
 * destination per Kafka stream, the VOEvent broadcaster (only with a whitelist), the local file
 * destinations, the echo-check receiver, and the AlertSender over them.
 */
export class AlertDelivery {
  private constructor(
    readonly sender: AlertSender,
    readonly ledger: AlertLedger,
    readonly broadcaster: VtpBroadcaster | undefined,
    readonly receiver: VtpReceiver | undefined,
  ) {}

  static async start(
    config: AlertDeliveryConfig,
    options: { echo?: EchoCheckOptions; hooks?: SenderHooks; kafkaProbeIntervalMs?: number } = {},
  ): Promise<AlertDelivery> {
    const ledger = openAlertLedger(config);
    const timeoutMs = config.alert_send_timeout_s * 1000;
    const destinations: AlertDestination[] = [];
    let broadcaster: VtpBroadcaster | undefined;
    let receiver: VtpReceiver | undefined;
    try {
      for (const [name, stream] of Object.entries(config.kafka_alert_config)) {
        destinations.push(
          new KafkaDestination({
            name,
            config: stream,
            timeoutMs: (stream.timeout_s ?? config.alert_send_timeout_s) * 1000,
            retries: stream.retries ?? config.alert_send_retries,
            probeIntervalMs: options.kafkaProbeIntervalMs,
          }),
        );
      }
      const ivo = localIvo(config.voevent_local_ivo);
      if (config.voevent_broadcaster_whitelist.length > 0) {
        broadcaster = new VtpBroadcaster({
          ...parseListenAddress(config.voevent_broadcaster_address),
          whitelist: config.voevent_broadcaster_whitelist,
          localIvo: ivo,
          iamaliveIntervalMs: config.voevent_iamalive_interval_s * 1000,
        });
        await broadcaster.start();
      }
      destinations.push(
        new VtpDestination({
          broadcaster,
          ackTimeoutMs: config.voevent_ack_timeout_s * 1000,
          timeoutMs: Math.max(timeoutMs, config.voevent_ack_timeout_s * 1000 + 1000),
          // GCN may be reconnecting: the reference retries ten times.
          retries: Math.max(config.alert_send_retries, 10),
        }),
      );
      if (config.alert_output_dir) {
        const directory = isAbsolute(config.alert_output_dir)
          ? config.alert_output_dir
          : join(config.data_dir || '.', config.alert_output_dir);
        for (const format of config.alert_output_formats) {
          destinations.push(new FileDestination({ directory, format, timeoutMs, retries: 1 }));
        }
      }
      // The echo check compares with what we broadcast; without broadcasting it has nothing to do.
      if (config.voevent_receiver_address && broadcaster) {
        const echo = options.echo ? new VoeventEchoCheck(options.echo) : undefined;
        const [host, port] = config.voevent_receiver_address.split(':');
        receiver = new VtpReceiver({
          host,
          port: Number(port),
          localIvo: ivo,
          silenceMs: config.voevent_receiver_silence_s * 1000,
          maxBackoffMs: config.voevent_receiver_max_backoff_s * 1000,
          onEvent: async (frame) => {
            if (echo) await echo.handle(frame);
          },
        });
        receiver.start();
      }
      const sender = new AlertSender({
        ledger,
        destinations,
        leaseMs: config.alert_claim_lease_s * 1000,
        hooks: options.hooks,
      });
      log.info(
        { destinations: destinations.map((d) => `${d.kind}:${d.name}`), ledger: ledger.location },
        'alert delivery ready',
      );
      return new AlertDelivery(sender, ledger, broadcaster, receiver);
    } catch (err) {
      await Promise.all(destinations.map((d) => d.close().catch(() => {})));
      await broadcaster?.close();
      await ledger.close();
      throw err;
    }
  }

  health(): AlertDeliveryHealth {
    return {
      broadcasting: this.broadcaster !== undefined,
      voeventBrokerPeers: this.broadcaster?.peerList() ?? [],
      receiving: this.receiver !== undefined,
      voeventReceiverPeers: this.receiver?.peerList() ?? [],
      destinations: this.sender.health(),
    };
  }

  async close(): Promise<void> {
    await this.receiver?.stop();
    await this.sender.close();
    await this.broadcaster?.close();
    await this.ledger.close();
  }
}

/**
 * The alert part of the Nagios check (gwcelery-spec §8.1, checks 5–8), first failure first;
 * undefined when all is well. The texts are the reference's, typo included.
 */
export function alertDeliveryProblem(health: AlertDeliveryHealth): string | undefined {
  if (health.broadcasting && health.voeventBrokerPeers.length === 0) {
    return 'The VOEvent broker has no active connections';
  }
  if (health.receiving && health.voeventReceiverPeers.length === 0) {
    return 'The VOEvent receiver has no active connections';
  }
  const kafka = Object.values(health.destinations).filter((d) => d.kind === 'kafka');
  if (kafka.some((d) => !d.topicUp)) return 'Not all Kafka bootstep URLs are active';
  if (kafka.some((d) => d.deliveryFailure)) {
    return 'Not all Kafka messages have been succesfully delivered';
  }
  return undefined;
}
