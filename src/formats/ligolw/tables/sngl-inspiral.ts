import { defineTableSchema } from './table-schema.js';

/**
 * One detector's trigger of a compact-binary search (a `sngl_inspiral` row). Masses are
 * detector-frame solar masses; times are GPS. Columns a file does not have read as null.
 */
export interface SnglInspiral {
  /** Row id; coinc_event_map.event_id and an SNR series' event_id Param point here. */
  event_id: number;
  /** Process that produced the trigger. */
  process_id: number | null;
  /** Detector prefix, e.g. `H1`. */
  ifo: string;
  search: string | null;
  channel: string | null;
  /** Trigger (merger) time, whole GPS seconds. */
  end_time: number;
  /** Nanoseconds part of the trigger time. */
  end_time_ns: number;
  /** Greenwich mean sidereal time at end_time, radians (not reduced modulo 2π). */
  end_time_gmst: number | null;
  impulse_time: number | null;
  impulse_time_ns: number | null;
  /** Template duration, s. */
  template_duration: number | null;
  /** Event duration, s. */
  event_duration: number | null;
  amplitude: number | null;
  /** Effective distance, Mpc (√sigmasq / snr). */
  eff_distance: number | null;
  /** Coalescence phase, rad. */
  coa_phase: number | null;
  /** Component masses, M☉ (detector frame). */
  mass1: number | null;
  mass2: number | null;
  /** Chirp mass, M☉. */
  mchirp: number | null;
  /** Total mass, M☉. */
  mtotal: number | null;
  /** Symmetric mass ratio. */
  eta: number | null;
  kappa: number | null;
  chi: number | null;
  /** Chirp times, s. */
  tau0: number | null;
  tau2: number | null;
  tau3: number | null;
  tau4: number | null;
  tau5: number | null;
  ttotal: number | null;
  psi0: number | null;
  psi3: number | null;
  alpha: number | null;
  alpha1: number | null;
  alpha2: number | null;
  alpha3: number | null;
  alpha4: number | null;
  alpha5: number | null;
  alpha6: number | null;
  beta: number | null;
  /** Template termination frequency, Hz. */
  f_final: number | null;
  /** Matched-filter signal-to-noise ratio. */
  snr: number;
  /** Signal-based veto χ² and its degrees of freedom; null for a detector that did not rank. */
  chisq: number | null;
  chisq_dof: number | null;
  bank_chisq: number | null;
  bank_chisq_dof: number | null;
  cont_chisq: number | null;
  cont_chisq_dof: number | null;
  /** Template norm: the square of the SNR-1 horizon distance, Mpc². */
  sigmasq: number | null;
  rsqveto_duration: number | null;
  /** Pipeline-specific template parameters (gstlal keeps its template id in Gamma0). */
  Gamma0: number | null;
  Gamma1: number | null;
  Gamma2: number | null;
  Gamma3: number | null;
  Gamma4: number | null;
  Gamma5: number | null;
  Gamma6: number | null;
  Gamma7: number | null;
  Gamma8: number | null;
  Gamma9: number | null;
  /** Dimensionless component spins. */
  spin1x: number | null;
  spin1y: number | null;
  spin1z: number | null;
  spin2x: number | null;
  spin2y: number | null;
  spin2z: number | null;
}

export const SNGL_INSPIRAL = defineTableSchema<SnglInspiral>({
  name: 'sngl_inspiral',
  columns: {
    process_id: 'int_8s',
    ifo: 'lstring',
    search: 'lstring',
    channel: 'lstring',
    end_time: 'int_4s',
    end_time_ns: 'int_4s',
    end_time_gmst: 'real_8',
    impulse_time: 'int_4s',
    impulse_time_ns: 'int_4s',
    template_duration: 'real_8',
    event_duration: 'real_8',
    amplitude: 'real_4',
    eff_distance: 'real_4',
    coa_phase: 'real_4',
    mass1: 'real_4',
    mass2: 'real_4',
    mchirp: 'real_4',
    mtotal: 'real_4',
    eta: 'real_4',
    kappa: 'real_4',
    chi: 'real_4',
    tau0: 'real_4',
    tau2: 'real_4',
    tau3: 'real_4',
    tau4: 'real_4',
    tau5: 'real_4',
    ttotal: 'real_4',
    psi0: 'real_4',
    psi3: 'real_4',
    alpha: 'real_4',
    alpha1: 'real_4',
    alpha2: 'real_4',
    alpha3: 'real_4',
    alpha4: 'real_4',
    alpha5: 'real_4',
    alpha6: 'real_4',
    beta: 'real_4',
    f_final: 'real_4',
    snr: 'real_4',
    chisq: 'real_4',
    chisq_dof: 'int_4s',
    bank_chisq: 'real_4',
    bank_chisq_dof: 'int_4s',
    cont_chisq: 'real_4',
    cont_chisq_dof: 'int_4s',
    sigmasq: 'real_8',
    rsqveto_duration: 'real_4',
    Gamma0: 'real_4',
    Gamma1: 'real_4',
    Gamma2: 'real_4',
    Gamma3: 'real_4',
    Gamma4: 'real_4',
    Gamma5: 'real_4',
    Gamma6: 'real_4',
    Gamma7: 'real_4',
    Gamma8: 'real_4',
    Gamma9: 'real_4',
    spin1x: 'real_4',
    spin1y: 'real_4',
    spin1z: 'real_4',
    spin2x: 'real_4',
    spin2y: 'real_4',
    spin2z: 'real_4',
    event_id: 'int_8s',
  },
  required: ['event_id', 'ifo', 'end_time', 'end_time_ns', 'snr'],
});
