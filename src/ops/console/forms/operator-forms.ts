/**
 * The operator forms of the reference dashboard (gwcelery-spec §8.3): the same routes, fields
 * and input patterns, and a confirmation step where the reference had a modal (M).
 */

export const SUPEREVENT_PATTERN = '(S|MS)\\d+[A-Za-z]+';
export const EVENT_PATTERN = '(G|M|T)\\d+';
export const ANY_EVENT_PATTERN = '(E|G|M|T)\\d+';
export const EXTERNAL_PATTERN = '(E|M|T)\\d+';
export const FILE_PATTERN = '\\S+,\\d+';

/** Detector prefixes known to LAL, offered by the disabled-detectors form. */
export const DETECTORS = ['H1', 'H2', 'L1', 'V1', 'K1', 'I1', 'G1', 'T1', 'E1', 'E2', 'E3', 'C1'];
export const PIPELINES = ['gstlal', 'spiir', 'pycbc', 'MBTA', 'CWB', 'oLIB', 'MLy'];
export const UPDATE_TYPES = ['sky_localization', 'em_bright', 'p_astro', 'raven'];

export type FieldKind = 'text' | 'url' | 'select' | 'checkboxes';

export interface FormField {
  name: string;
  label: string;
  kind: FieldKind;
  /** HTML pattern, also enforced by the server (anchored). */
  pattern?: string;
  required: boolean;
  /** Typeahead endpoint that suggests values (its other inputs are sent along). */
  typeahead?: string;
  /** Query parameter carrying what the operator typed (absent: the typeahead ignores it). */
  typeaheadTerm?: string;
  /** Query parameter → input of the same form whose value is sent along. */
  typeaheadParams?: Record<string, string>;
  options?: string[];
  placeholder?: string;
}

export interface OperatorForm {
  id: string;
  /** POST route (relative to the console prefix). */
  path: string;
  title: string;
  /** What submitting does, in an operator's words (shown on the form and the confirmation). */
  effect: string;
  fields: FormField[];
  /** The reference asked for confirmation in a modal. */
  confirm: boolean;
  /** Answers with text/plain instead of redirecting (the circulars). */
  returnsText?: boolean;
}

const superevent: FormField = {
  name: 'superevent_id',
  label: 'Superevent ID',
  kind: 'text',
  pattern: SUPEREVENT_PATTERN,
  required: true,
  typeahead: 'typeahead_superevent_id',
  typeaheadTerm: 'superevent_id',
  placeholder: 'S230518h',
};

const eventOf = (label = 'Event ID'): FormField => ({
  name: 'event_id',
  label,
  kind: 'text',
  pattern: EVENT_PATTERN,
  required: true,
  typeahead: 'typeahead_event_id',
  typeaheadParams: { superevent_id: 'superevent_id' },
  placeholder: 'G123456',
});

const fileField = (
  name: string,
  label: string,
  typeahead: string,
  required: boolean,
): FormField => ({
  name,
  label,
  kind: 'text',
  pattern: FILE_PATTERN,
  required,
  typeahead,
  typeaheadTerm: 'filename',
  typeaheadParams: { superevent_id: 'superevent_id' },
  placeholder: 'name,version',
});

export const OPERATOR_FORMS: OperatorForm[] = [
  {
    id: 'send_preliminary_gcn',
    path: '/send_preliminary_gcn',
    title: 'Issue Preliminary GCN Notice',
    effect:
      'Makes the event the preferred event (and its time t₀), then sends a Preliminary alert, unless ADVOK or ADVNO blocks it.',
    fields: [superevent, eventOf()],
    confirm: true,
  },
  {
    id: 'send_update_gcn',
    path: '/send_update_gcn',
    title: 'Issue Update GCN Notice',
    effect:
      'Sends an Update alert with these files (missing ones are taken from the superevent log).',
    fields: [
      superevent,
      fileField('skymap_filename', 'Sky map', 'typeahead_skymap_filename', true),
      fileField('em_bright_filename', 'em_bright', 'typeahead_em_bright_filename', false),
      fileField('p_astro_filename', 'p_astro', 'typeahead_p_astro_filename', false),
    ],
    confirm: true,
  },
  {
    id: 'create_update_gcn_circular',
    path: '/create_update_gcn_circular',
    title: 'Create Update GCN Circular',
    effect: 'Drafts the text of an update circular (nothing is sent).',
    fields: [
      superevent,
      {
        name: 'update_types',
        label: 'Updated',
        kind: 'checkboxes',
        options: UPDATE_TYPES,
        required: true,
      },
    ],
    confirm: false,
    returnsText: true,
  },
  {
    id: 'create_medium_latency_gcn_circular',
    path: '/create_medium_latency_gcn_circular',
    title: 'Create Medium Latency GRB Circular',
    effect: 'Drafts the text of a medium-latency GRB circular (nothing is sent).',
    fields: [
      {
        name: 'ext_event_id',
        label: 'External event ID',
        kind: 'text',
        pattern: EXTERNAL_PATTERN,
        required: true,
        placeholder: 'E123456',
      },
    ],
    confirm: false,
    returnsText: true,
  },
  {
    id: 'change_preferred_event',
    path: '/change_preferred_event',
    title: 'Change Preferred Event',
    effect:
      'Makes the event the preferred event (and its time t₀) and copies its data products to the superevent, without sending an alert.',
    fields: [superevent, eventOf()],
    confirm: true,
  },
  {
    id: 'change_pipeline_preferred_event',
    path: '/change_pipeline_preferred_event',
    title: 'Change Pipeline-Preferred Event',
    effect:
      "Makes the event its pipeline's preferred event and copies its data products, without sending an alert.",
    fields: [
      superevent,
      { name: 'pipeline', label: 'Pipeline', kind: 'select', options: PIPELINES, required: true },
      eventOf(),
    ],
    confirm: true,
  },
  {
    id: 'apply_raven_labels',
    path: '/apply_raven_labels',
    title: 'Designate External Coincidence',
    effect:
      'Makes the external event the superevent’s coincidence (em_type and coincidence FARs) and applies RAVEN_ALERT to the superevent, the external event and the preferred event.',
    fields: [
      superevent,
      {
        name: 'ext_id',
        label: 'External event ID',
        kind: 'text',
        pattern: EXTERNAL_PATTERN,
        required: true,
        placeholder: 'E123456',
      },
      eventOf('Preferred event ID'),
    ],
    confirm: true,
  },
  {
    id: 'download_upload_external_skymap',
    path: '/download_upload_external_skymap',
    title: 'Download/Upload External Sky Map',
    effect:
      'Queues a task that downloads the sky map from the URL and uploads it to the external event.',
    fields: [
      {
        name: 'ext_id',
        label: 'External event ID',
        kind: 'text',
        pattern: EXTERNAL_PATTERN,
        required: true,
        placeholder: 'E123456',
      },
      {
        name: 'skymap_url',
        label: 'Sky map URL',
        kind: 'url',
        required: true,
        placeholder: 'https://...',
      },
    ],
    confirm: true,
  },
  {
    id: 'send_mock_event',
    path: '/send_mock_event',
    title: 'Issue Mock Event',
    effect: 'Uploads a mock (MDC) event, as the hourly mock events do.',
    fields: [],
    confirm: true,
  },
  {
    id: 'send_mock_joint_event',
    path: '/send_mock_joint_event',
    title: 'Issue Mock Joint Event',
    effect:
      'Uploads a mock (MDC) event, then 5 s later a Fermi MDC GRB within its coincidence window.',
    fields: [],
    confirm: true,
  },
  {
    id: 'create_skymap_with_disabled_detectors',
    path: '/create_skymap_with_disabled_detectors',
    title: 'Sky Map with Disabled Detectors',
    effect:
      'Runs BAYESTAR on the event without these detectors and uploads bayestar.no-<IFOS>.multiorder.fits.',
    fields: [
      {
        ...eventOf(),
        typeahead: undefined,
        typeaheadParams: undefined,
      },
      {
        name: 'detectors',
        label: 'Disable',
        kind: 'checkboxes',
        options: DETECTORS,
        required: true,
      },
    ],
    confirm: false,
  },
  {
    id: 'copy_sky_map_between_events',
    path: '/copy_sky_map_between_events',
    title: 'Copy Event Sky Map To Superevent',
    effect: "Copies the event's sky map to the superevent (tags sky_loc, public) and annotates it.",
    fields: [
      superevent,
      { ...eventOf(), pattern: ANY_EVENT_PATTERN },
      {
        ...fileField('skymap_filename', 'Sky map', 'typeahead_skymap_filename', true),
        typeaheadParams: { superevent_id: 'event_id' },
      },
    ],
    confirm: false,
  },
];

export function formById(id: string): OperatorForm | undefined {
  return OPERATOR_FORMS.find((f) => f.id === id);
}

/** A form field's submitted values: one string, or the list of ticked boxes. */
export type FormValues = Record<string, string | string[] | undefined>;

/** Names of required fields that are missing, then fields that do not match their pattern. */
export function validateForm(
  form: OperatorForm,
  values: FormValues,
): { missing: string[]; invalid: string[] } {
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const field of form.fields) {
    const value = values[field.name];
    const list = Array.isArray(value) ? value : value ? [value] : [];
    const present = list.map((v) => v.trim()).filter(Boolean);
    if (present.length === 0) {
      if (field.required) missing.push(field.name);
      continue;
    }
    if (field.pattern) {
      const re = new RegExp(`^(?:${field.pattern})$`);
      if (!present.every((v) => re.test(v))) invalid.push(field.name);
    }
    if (field.options && !present.every((v) => field.options!.includes(v)))
      invalid.push(field.name);
    if (field.kind === 'url') {
      try {
        const url = new URL(present[0]);
        if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid.push(field.name);
      } catch {
        invalid.push(field.name);
      }
    }
  }
  return { missing, invalid };
}
