import { Template } from '@huggingface/jinja';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface ChatTemplate {
  readonly source: string;
  /** The conversation as the model was trained to see it, ending with the assistant turn opened. */
  render(messages: readonly ChatMessage[], specialTokens: { bos_token: string; eos_token: string }): string;
}

export class ChatTemplateError extends Error {
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.name = 'ChatTemplateError';
  }
}

/**
 * tokenizer_config.json's chat_template: a Jinja string, or a list of named templates (then "default"
 * is used). Returns null when there is none (a base model). Parsing happens here, so a template the
 * renderer cannot read fails when the model is loaded, not at the first prompt.
 */
export function parseChatTemplate(value: unknown, source: string): ChatTemplate | null {
  if (value === undefined || value === null) return null;
  let text: unknown = value;
  if (Array.isArray(value)) {
    const named = value as { name?: unknown; template?: unknown }[];
    text = (named.find((t) => t.name === 'default') ?? named[0])?.template;
  }
  if (typeof text !== 'string' || text === '')
    throw new ChatTemplateError(source, 'expected a Jinja template string or a list of {name, template}');
  let template: Template;
  try {
    template = new Template(text);
  } catch (error) {
    throw new ChatTemplateError(source, `the Jinja template does not parse (${(error as Error).message})`);
  }
  return {
    source: text,
    render: (messages, specialTokens) => {
      if (messages.length === 0) throw new ChatTemplateError(source, 'give at least one message');
      try {
        return template.render({
          messages: messages.map((m) => ({ role: m.role, content: m.content })),
          add_generation_prompt: true,
          ...specialTokens,
        });
      } catch (error) {
        throw new ChatTemplateError(source, `rendering failed (${(error as Error).message})`);
      }
    },
  };
}
