/**
 * NegEx-style reading of a finding in pathology text (Chapman WW et al., J Biomed Inform
 * 2001;34(5):301-310, doi:10.1006/jbin.2001.1029): a negation cue negates only the finding inside its
 * scope. A pre-cue ("no", "without", "negative for") reaches forward at most PRE_WINDOW words and stops
 * at a termination term ("but", "however") or a clause that has its own verdict ("... is seen");
 * a post-cue ("not seen", "absent") reaches back over at most POST_WINDOW words. So "prominent
 * hemophagocytosis, without evidence of residual myeloma" is affirmed (the cue follows the finding and
 * governs myeloma), while "no lymphoma, granulomas or hemophagocytosis" is negated.
 * Uncertainty ("cannot be excluded", "rule out") is its own verdict: neither affirmed nor negated.
 */

export interface FindingPattern {
  name: string;
  /** Global, case-insensitive pattern of the finding's words. */
  pattern: RegExp;
}

export const HEMOPHAGOCYTOSIS_FINDING: FindingPattern = {
  name: 'hemophagocytosis',
  pattern: /\bh(?:a)?emophagocyt\w*(?:\s+(?:histiocytes?|figures?|activity|macrophages?))?/gi,
};

export type MentionStatus = 'affirmed' | 'negated' | 'uncertain' | 'absent';

const PRE_WINDOW = 8;
const POST_WINDOW = 4;

/** Sentence breaks: full stops that are not decimal points, semicolons, line breaks, ! and ?. */
const SENTENCE_BREAK = /(?<!\d)\.(?!\d)|[;\n!?]+/;

const PSEUDO = /\b(?:no (?:increase|change|further|longer)|not only|without (?:difficulty|change))\b/gi;
const PRE_UNCERTAIN = /\b(?:rule out|r\/o|cannot (?:exclude|rule out)|possible|possibly|questionable|suspicious for|equivocal for|concerning for)\b/i;
const PRE_NEGATION = /\b(?:no|not|without|negative for|absent|absence of|free of|lack of|lacks|lacking|neither|nor|none|never|denies)\b/i;
const POST_UNCERTAIN = /\b(?:cannot be (?:excluded|ruled out)|not (?:excluded|ruled out)|is possible|questionable|suspected)\b/i;
const POST_NEGATION = /\b(?:not (?:seen|identified|present|observed|appreciated|found|evident|noted|detected)|(?:is|are|was|were)?\s*absent|negative|none (?:seen|identified)|ruled out|excluded)\b/i;
/** Words that end a cue's scope: a new clause with its own subject or verdict. */
const TERMINATION = /\b(?:but|however|although|though|yet|except|whereas|while|which|aside from|apart from|other than|nevertheless|otherwise)\b/gi;
/** A clause verdict ("is seen", "identified") closes the clause a pre-cue belongs to. */
const VERDICT_WORD = /^(?:seen|identified|present|noted|observed|evident|appreciated|found|detected)$/i;

function words(text: string): string[] {
  return text.split(/[\s,:()]+/).filter((w) => w.length > 0);
}

function lastIndexOfPattern(text: string, re: RegExp): number {
  let last = -1;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) last = m.index + m[0].length;
  re.lastIndex = 0;
  return last;
}

/** The words before the finding that a pre-cue could still govern. */
function preScope(before: string): string {
  const cleaned = before.replace(PSEUDO, ' ');
  const cut = lastIndexOfPattern(cleaned, TERMINATION);
  const clause = words(cut >= 0 ? cleaned.slice(cut) : cleaned);
  // A verdict word ("No lymphoma is seen, hemophagocytosis ...") closes the earlier clause.
  let start = 0;
  for (let i = 0; i < clause.length; i++) {
    const w = clause[i] ?? '';
    const prev = (clause[i - 1] ?? '').toLowerCase();
    if (VERDICT_WORD.test(w) && prev !== 'not' && prev !== 'no') start = i + 1;
  }
  return clause.slice(Math.max(start, clause.length - PRE_WINDOW)).join(' ');
}

/** The words after the finding that a post-cue must fall in. */
function postScope(after: string): string {
  TERMINATION.lastIndex = 0;
  const m = TERMINATION.exec(after);
  TERMINATION.lastIndex = 0;
  const clause = words(m ? after.slice(0, m.index) : after);
  const out: string[] = [];
  for (let i = 0; i < clause.length && out.length < POST_WINDOW + 2; i++) {
    const w = clause[i] ?? '';
    out.push(w);
    const prev = (clause[i - 1] ?? '').toLowerCase();
    // "... present and lymphoma absent": a verdict about this finding ends its scope.
    if (VERDICT_WORD.test(w) && prev !== 'not' && prev !== 'no' && prev !== 'none') break;
  }
  return out.join(' ');
}

function classify(sentence: string, start: number, end: number): Exclude<MentionStatus, 'absent'> {
  const pre = preScope(sentence.slice(0, start));
  const post = postScope(sentence.slice(end));
  if (POST_UNCERTAIN.test(post) || PRE_UNCERTAIN.test(pre)) return 'uncertain';
  if (POST_NEGATION.test(post) || PRE_NEGATION.test(pre)) return 'negated';
  return 'affirmed';
}

/** Every mention of the finding, each with its own verdict. */
export function mentionStatuses(text: string, finding: FindingPattern): Exclude<MentionStatus, 'absent'>[] {
  const out: Exclude<MentionStatus, 'absent'>[] = [];
  for (const sentence of text.split(SENTENCE_BREAK)) {
    const re = new RegExp(finding.pattern.source, 'gi');
    for (let m = re.exec(sentence); m; m = re.exec(sentence)) out.push(classify(sentence, m.index, m.index + m[0].length));
  }
  return out;
}

/** Affirmed when any mention is; else uncertain, negated, or absent (not mentioned at all). */
export function mentionStatus(text: string, finding: FindingPattern): MentionStatus {
  const all = mentionStatuses(text, finding);
  if (all.includes('affirmed')) return 'affirmed';
  if (all.includes('uncertain')) return 'uncertain';
  return all.length > 0 ? 'negated' : 'absent';
}

export function findingAffirmed(text: string, finding: FindingPattern): boolean {
  return mentionStatus(text, finding) === 'affirmed';
}
