/**
 * Ground-based interferometers BAYESTAR can localize with: vertex positions and arm directions in
 * the Earth-fixed (ITRF) frame, as published in LALSuite's LALDetectors.h. From these follow the
 * two things the likelihood needs: the light-travel position of the vertex and the detector
 * response tensor D = (x̂x̂ᵀ − ŷŷᵀ)/2.
 */

/** Speed of light in vacuum, m/s (exact by definition of the metre). */
export const SPEED_OF_LIGHT = 299_792_458;

interface DetectorSite {
  /** Vertex (beam splitter) position, metres. */
  readonly vertex: readonly [number, number, number];
  /** Unit vector along the x arm. */
  readonly xArm: readonly [number, number, number];
  /** Unit vector along the y arm. */
  readonly yArm: readonly [number, number, number];
}

const SITES: Readonly<Record<string, DetectorSite>> = {
  // LIGO Hanford 4 km
  H1: {
    vertex: [-2.16141492636e6, -3.83469517889e6, 4.60035022664e6],
    xArm: [-0.22389266154, 0.79983062746, 0.55690487831],
    yArm: [-0.91397818574, 0.02609403989, -0.40492342125],
  },
  // LIGO Livingston 4 km
  L1: {
    vertex: [-7.42760447238e4, -5.49628371971e6, 3.22425701744e6],
    xArm: [-0.95457412153, -0.1415807734, -0.26218911324],
    yArm: [0.29774156894, -0.48791033647, -0.82054461286],
  },
  // Virgo 3 km
  V1: {
    vertex: [4.546374099e6, 8.42989697626e5, 4.37857696241e6],
    xArm: [-0.70045821479, 0.20848948619, 0.68256166277],
    yArm: [-0.05379255368, -0.96908180549, 0.24080451708],
  },
  // KAGRA 3 km
  K1: {
    vertex: [-3777336.024, 3484898.411, 3765313.697],
    xArm: [-0.375904, -0.8361583, 0.3994189],
    yArm: [0.7164378, 0.01114076, 0.697562],
  },
  // LIGO India (Aundha) 4 km
  I1: {
    vertex: [1450526.82294155, 6011058.39047265, 1558018.27884102],
    xArm: [-0.972097635269165, 0.23457661271095276, -4.236955675196441e-8],
    yArm: [-0.057675667107105255, -2.3901095986366272e-1, 0.9693024754524231],
  },
};

export interface Detector {
  /** Two-character prefix: H1, L1, V1, K1, I1. */
  readonly name: string;
  /** Vertex position divided by c: light-seconds, Earth-fixed frame. */
  readonly location: Float64Array;
  /** Response tensor D, row-major 3×3. */
  readonly response: Float64Array;
}

export const KNOWN_DETECTORS: readonly string[] = Object.keys(SITES);

/** The detector with this prefix; an error names the unknown prefix and the known ones. */
export function getDetector(name: string): Detector {
  const site = SITES[name];
  if (!site) {
    throw new Error(`unknown detector '${name}': BAYESTAR knows ${KNOWN_DETECTORS.join(', ')}`);
  }
  const location = new Float64Array(3);
  const response = new Float64Array(9);
  for (let i = 0; i < 3; i++) {
    location[i] = site.vertex[i] / SPEED_OF_LIGHT;
    for (let j = 0; j < 3; j++) {
      response[3 * i + j] = 0.5 * (site.xArm[i] * site.xArm[j] - site.yArm[i] * site.yArm[j]);
    }
  }
  return { name, location, response };
}
