/** README.md model card for an exported adapter (Hugging Face card front matter + a readable summary). */
import type { PeftAdapter } from './types.ts';

function table(rows: Array<[string, string]>): string[] {
  return ['| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v.replace(/\|/g, '\\|')} |`)];
}

export function adapterModelCard(adapter: PeftAdapter): string {
  const { config, meta } = adapter;
  const base = config.baseModelNameOrPath ?? meta?.baseModel.name ?? 'unknown';
  const lines = [
    '---',
    'library_name: peft',
    `base_model: ${JSON.stringify(base)}`,
    'tags:',
    '  - lora',
    '  - punchline',
    '---',
    '',
    `# ${meta?.name ?? 'LoRA adapter'}`,
    '',
    `A LoRA adapter (${config.taskType === 'SEQ_CLS' ? 'sequence classification' : 'causal language modelling'}) trained in the browser with Punchline.`,
    'Load it with `PeftModel.from_pretrained(base_model, this_folder)`.',
    '',
    '## Adapter',
    '',
    ...table([
      ['base model', base],
      ['base model content hash', meta?.baseModel.contentHash ?? 'not recorded'],
      ['rank r', String(config.rank)],
      ['lora_alpha', String(config.alpha)],
      ['lora_dropout', String(config.dropout)],
      ['target modules', config.targetModules.join(', ')],
    ]),
  ];
  if (meta !== null) {
    if (meta.dataset !== null) lines.push('', '## Data', '', `Dataset version \`${meta.dataset.version}\`.`);
    const hyper = Object.entries(meta.hyperparameters);
    if (hyper.length > 0)
      lines.push('', '## Hyperparameters', '', ...table(hyper.map(([k, v]) => [k, String(v)])));
    const metrics = Object.entries(meta.metrics);
    if (metrics.length > 0)
      lines.push('', '## Metrics', '', ...table(metrics.map(([k, v]) => [k, String(v)])));
    if (meta.labels.length > 0)
      lines.push('', '## Labels', '', meta.labels.map((l, i) => `${i}: ${l}`).join(', '));
    if (meta.controlCodes.length > 0)
      lines.push('', '## Control codes', '', meta.controlCodes.map((c) => `\`${c}\``).join(' '));
  }
  return `${lines.join('\n')}\n`;
}
