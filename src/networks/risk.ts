// The risk score of a network (0–100) with the reasons for it, each with its weight: pure, so the
// analyst can see exactly why a network ranks where it does.

export interface RiskFactors {
  sellers: number;
  platformCount: number;
  cases: number;
  actions: number;
  /** Sellers seen active after the network's first takedown (recidivism). */
  activeAfterTakedown: number;
  /** Factories supplying two member sellers or more. */
  sharedFactories: number;
}

export interface RiskReason {
  code: 'SIZE' | 'PLATFORMS' | 'ENFORCEMENT_HISTORY' | 'RECIDIVISM' | 'SHARED_FACTORY' | 'CASES';
  /** Points this reason adds to the score. */
  weight: number;
  description: string;
}

export interface Risk {
  score: number;
  reasons: RiskReason[];
}

/** Points per unit and the cap of each reason; documented in the API (NetworkRisk). */
export const RISK_WEIGHTS = {
  perExtraSeller: 5,
  sizeCap: 30,
  perExtraPlatform: 10,
  platformsCap: 20,
  perAction: 5,
  enforcementCap: 15,
  recidivism: 25,
  sharedFactory: 15,
  cases: 10,
} as const;

export function scoreRisk(f: RiskFactors): Risk {
  const w = RISK_WEIGHTS;
  const reasons: RiskReason[] = [];
  const size = Math.min(w.sizeCap, w.perExtraSeller * Math.max(0, f.sellers - 1));
  if (size > 0) {
    reasons.push({ code: 'SIZE', weight: size, description: `${f.sellers} sellers` });
  }
  const platforms = Math.min(w.platformsCap, w.perExtraPlatform * Math.max(0, f.platformCount - 1));
  if (platforms > 0) {
    reasons.push({
      code: 'PLATFORMS',
      weight: platforms,
      description: `active on ${f.platformCount} platforms`,
    });
  }
  const enforcement = Math.min(w.enforcementCap, w.perAction * f.actions);
  if (enforcement > 0) {
    reasons.push({
      code: 'ENFORCEMENT_HISTORY',
      weight: enforcement,
      description: `${f.actions} enforcement actions against members`,
    });
  }
  if (f.activeAfterTakedown > 0) {
    reasons.push({
      code: 'RECIDIVISM',
      weight: w.recidivism,
      description: `${f.activeAfterTakedown} sellers active after the first takedown`,
    });
  }
  if (f.sharedFactories > 0) {
    reasons.push({
      code: 'SHARED_FACTORY',
      weight: w.sharedFactory,
      description: `${f.sharedFactories} factories supply several member sellers`,
    });
  }
  if (f.cases > 0) {
    reasons.push({ code: 'CASES', weight: w.cases, description: `linked to ${f.cases} cases` });
  }
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + r.weight, 0),
  );
  return { score, reasons };
}
