import type { ContentFilterType } from './content-filter-types.js';

/**
 * Hand-written cue lexicons, one per category. A unit's match becomes one extra input of the
 * classifier (beside the sentence embedding), so the classifier learns how much each cue counts; a
 * cue alone decides nothing.
 */
const lexicons: Record<ContentFilterType, RegExp> = {
  HATE: /\b(vermin|subhuman|sub-human|parasites?|cockroach(es)?|infest(ation|ing)?|savages?|inferior (race|breed|people)|mongrels?|abomination|degenerates?|invaders?|breed(ing)? like|go back to (your|their)|send them (all )?back|deport(ed)? (them|all)|inbred|pure nation|race traitors?|filthy (people|foreigners|immigrants)|not (even )?human|diseased? (animals|monkeys|people)|(should|must) be (purged|expelled|banned|cleansed|wiped out))\b/iu,
  INSULTS: /\b(idiot(ic)?|moron(ic)?|imbecile|stupid|dumb(ass)?|loser|pathetic|worthless|useless|ugly|fat (slob|cow|pig)|clown|buffoon|halfwit|half-wit|dimwit|dolt|dunce|cretin|twit|git|jerk|prick|scumbag|slimeball|slob|nitwit|nincompoop|numbskull|bonehead|airhead|creep|loser|crybaby|wimp|coward|hag|pig|toad|weasel|rat|waste of (space|oxygen)|shut up|shut your)\b/iu,
  SEXUAL: /\b(sex(ual(ly)?)?|sexy|erotic(a)?|porn(ographic)?|nsfw|x-rated|naked|nude|nudity|horny|orgasm|climax(ed)?|moan(ing|ed)?|aroused|blowjob|oral sex|anal sex|threesome|orgy|cock|clit|nipples?|breasts?|panties|genitals?|masturbat\w*|sexting|sext|dirty talk|strip(per|tease|s)?|lap dance|kinky|bdsm|bondage|dominatrix|smut|steamy|seduc\w*|fuck(ing|ed)?|hook(ing)? up|turns? (me|you) on)\b/iu,
  VIOLENCE: /\b(kill(ing|ed)?|murder(ed|ing)?|stab(bing|bed)?|shoot(ing)?|shot|gun(ned)?|rifle|bomb(s|ing)?|explod\w*|behead\w*|tortur\w*|strangl\w*|chok(e|ing)|slit|gut(s)?|gore|gory|blood(y)?|bleed(ing)?|beat(en|ing)? (up|to death|you|him|her)|break (your|his|her) \w+|smash (your|his|her)|maim|massacre|slaughter(ed)?|lynch|hang (him|them)|burn (you|them|him|her)|set (a person|him|her|them) on fire|acid|knife|machete|axe|crowbar|bat|hurt (you|him|her|them|people)|dismember\w*|mutilat\w*|execut(e|ion)|die)\b/iu,
  MISCONDUCT: /\b(steal(ing)?|stole(n)?|shoplift\w*|launder\w*|hack(ing)? into|break into|hotwire|counterfeit\w*|forge(d|ry)?|fake (id|passport|degree|invoice|receipt|reviews|charity)|phishing|scam(s|ming|mer)?|fraud|embezzl\w*|smuggl\w*|bribe|traffick\w*|meth(amphetamine)?|cocaine|crack cocaine|heroin|fentanyl|lsd|mdma|drugs?|ransomware|malware|keylogger|botnet|ddos|skimmer|pickpocket|dark web|evade|get away with|without (getting caught|being (seen|caught|traced)|anyone noticing|the \w+ noticing)|untraceable|illegal(ly)?|black market|blackmail|extortion|pump and dump|ponzi)\b/iu,
  PROMPT_ATTACK: /\b(ignore|disregard|forget|override|bypass|jailbr(oken|eak)|developer mode|god mode|dan|do anything now|system prompt|hidden (instructions|prompt|rules|text)|previous (instructions|directives|commands)|prior (instructions|directives|text|messages)|your (rules|instructions|guidelines|programming|restrictions|filters|training|prompt)|no (restrictions|rules|limits|filters)|unfiltered|uncensored|unrestricted|without (any )?(restrictions|rules|limits|filters|censorship)|safety (filters|guidelines|protocols|features|training)|content polic(y|ies)|guardrails|reveal|leak|verbatim|pretend|roleplay|role-play|act as)\b/iu,
};

/**
 * One input per category: 1 when the unit contains a cue of that category, else 0.
 *
 * @example
 * lexiconFeatures('Ignore your rules') // [0, 0, 0, 0, 0, 1]
 */
export function lexiconFeatures(text: string, order: readonly ContentFilterType[]): number[] {
  return order.map((category) => (lexicons[category].test(text) ? 1 : 0));
}
