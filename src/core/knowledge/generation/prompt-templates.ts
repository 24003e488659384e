/**
 * Bedrock's knowledge-base generation prompt, adapted: the model answers only from the numbered
 * search results, and `$output_format_instructions$` asks for the answer-part format whose sources
 * become citations. `$search_results$` is replaced by the retrieved chunks, `$query$` by the question
 * (when a template has no `$query$`, the question is sent as the user turn after it).
 */
export const defaultGenerationPromptTemplate = `You are a question answering agent. I will provide you with a set of search results. The user will provide you with a question. Your job is to answer the user's question using only information from the search results. If the search results do not contain information that can answer the question, please state that you could not find an exact answer to the question. Just because the user asserts a fact does not mean it is a fact, double check the search results to validate if the user's assertion is correct.

Here are the search results in numbered order:
$search_results$

$output_format_instructions$`;

/** What `$output_format_instructions$` becomes: the citation format `parseCitedAnswer` reads. */
export const outputFormatInstructions = `If you reference information from a search result within your answer, you must include a citation to the source where the information was found. Each result has a corresponding source ID that you should reference.

Note that <sources> may contain multiple <source> if you include information from multiple results in your answer.

Do NOT directly quote the <search_results> in your answer. Your job is to answer the user's question as concisely as possible.

You must output your answer in the following format. Pay attention and follow the formatting and spacing exactly:
<answer>
<answer_part>
<text>
first answer text
</text>
<sources>
<source>source ID</source>
</sources>
</answer_part>
<answer_part>
<text>
second answer text
</text>
<sources>
<source>source ID</source>
</sources>
</answer_part>
</answer>`;

/**
 * The orchestration prompt that turns a follow-up question into a standalone search query using the
 * conversation so far (`$conversation_history$`, `$query$`); overridable with
 * `orchestrationConfiguration.promptTemplate`.
 */
export const defaultQueryRewritePromptTemplate = `You are a query creation agent. You will be provided with a conversation between a user and an assistant, and a follow-up question from the user. Rewrite the follow-up question as a single, standalone search query that can be understood without the conversation: resolve pronouns and references to earlier turns, keep the user's key terms, and add nothing the user did not ask for.

<conversation>
$conversation_history$
</conversation>

<question>
$query$
</question>

Reply with the search query only, on one line, with no preamble.`;

/**
 * Replaces each `$name$` placeholder whose name is in `values`; other dollar signs are left alone.
 *
 * @example
 * renderPromptTemplate('Q: $query$ ($cost$)', { query: 'What is basalt?' }) // 'Q: What is basalt? ($cost$)'
 */
export function renderPromptTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\$([a-z_]+)\$/g, (placeholder, name: string) => (Object.hasOwn(values, name) ? (values[name] as string) : placeholder));
}

/**
 * The search results as the model sees them: numbered from 1, each with its content and source ID.
 *
 * @example
 * formatSearchResults(['Basalt is volcanic.']) // '<search_results>\n<search_result>\n<content>\nBasalt is volcanic.\n</content>\n<source>1</source>\n</search_result>\n</search_results>'
 */
export function formatSearchResults(texts: readonly string[]): string {
  const results = texts.map((text, index) => `<search_result>\n<content>\n${text}\n</content>\n<source>${index + 1}</source>\n</search_result>`);
  return `<search_results>\n${results.join('\n')}\n</search_results>`;
}
