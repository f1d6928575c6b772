export { type ClassifyOptions, classify, type DiagnosisCode, type Verdict } from './classify.js';
export { type CollectOptions, EvidenceCollector } from './collect-evidence.js';
export { DIAGNOSE_MESSAGES } from './diagnose-messages.js';
export {
  cancelCommand,
  cancelDeployment,
  type DiagnosedWatch,
  type DiagnosedWatchOptions,
  type DiagnoseOptions,
  type Diagnosis,
  diagnoseVersion,
  watchWithDiagnosis,
} from './diagnose-version.js';
export {
  type DiagnosisEvidence,
  emptyEvidence,
  type HealthObservation,
  type ImageAnswer,
  type InstanceConsole,
  type ScalingActivity,
} from './evidence.js';
export { generationVerdict, preflightChecks, templateAmis } from './preflight.js';
export { parseTaupageConsole, TAUPAGE_LINE, type TaupageConsole } from './taupage-console.js';
export { formatVerdict, verdictJson } from './verdict-text.js';
