/**
 * Slack's published Block Kit limits (docs.slack.dev "Blocks", "Block elements", "Composition
 * objects"; the same numbers are in the Slack SDKs' validators): what a message or a modal may
 * hold. Lengths are counted in UTF-16 units, which is never less than Slack's characters.
 */
export const blockKitLimits = {
  messageBlocks: 50,
  modalBlocks: 100,
  messageText: 40_000,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextText: 2000,
  actionsElements: 25,
  buttonText: 75,
  buttonUrl: 3000,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  initialValue: 3000,
  optionText: 75,
  optionValue: 150,
} as const;

type Node = Record<string, unknown>;

function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (value && typeof value === "object" && typeof (value as Node).text === "string") {
    return (value as Node).text as string;
  }
  return undefined;
}

/** Every limit a message (`surface: "message"`) or a modal view breaks, one line each. */
export function blockKitViolations(message: object, surface: "message" | "modal"): string[] {
  const payload = message as Node;
  const problems: string[] = [];
  const check = (where: string, value: unknown, maximum: number) => {
    const text = textOf(value);
    if (text !== undefined && text.length > maximum) {
      problems.push(`${where}: ${text.length} > ${maximum}`);
    }
  };
  const blocks = (payload.blocks ?? []) as Node[];
  const maximumBlocks =
    surface === "message" ? blockKitLimits.messageBlocks : blockKitLimits.modalBlocks;
  if (blocks.length > maximumBlocks) problems.push(`blocks: ${blocks.length} > ${maximumBlocks}`);
  check("text", payload.text, blockKitLimits.messageText);
  if (surface === "modal") {
    check("title", payload.title, blockKitLimits.modalTitle);
    check("submit", payload.submit, blockKitLimits.modalButton);
    check("close", payload.close, blockKitLimits.modalButton);
    check("private_metadata", payload.private_metadata, blockKitLimits.privateMetadata);
  }
  blocks.forEach((block, index) => {
    const where = `blocks[${index}] ${String(block.type)}`;
    check(`${where} block_id`, block.block_id, blockKitLimits.blockId);
    if (block.type === "section") {
      check(`${where} text`, block.text, blockKitLimits.sectionText);
      const fields = (block.fields ?? []) as unknown[];
      if (fields.length > blockKitLimits.sectionFields) {
        problems.push(`${where} fields: ${fields.length} > ${blockKitLimits.sectionFields}`);
      }
      for (const [at, field] of fields.entries()) {
        check(`${where} fields[${at}]`, field, blockKitLimits.fieldText);
      }
    }
    if (block.type === "header") check(`${where} text`, block.text, blockKitLimits.headerText);
    if (block.type === "context") {
      const elements = (block.elements ?? []) as unknown[];
      if (elements.length > blockKitLimits.contextElements) {
        problems.push(`${where} elements: ${elements.length} > ${blockKitLimits.contextElements}`);
      }
      for (const [at, element] of elements.entries()) {
        check(`${where} elements[${at}]`, element, blockKitLimits.contextText);
      }
    }
    if (block.type === "actions") {
      const elements = (block.elements ?? []) as Node[];
      if (elements.length > blockKitLimits.actionsElements) {
        problems.push(`${where} elements: ${elements.length} > ${blockKitLimits.actionsElements}`);
      }
      elements.forEach((element, at) => {
        check(`${where} button[${at}] text`, element.text, blockKitLimits.buttonText);
        check(`${where} button[${at}] url`, element.url, blockKitLimits.buttonUrl);
        check(`${where} button[${at}] value`, element.value, blockKitLimits.buttonValue);
        check(`${where} button[${at}] action_id`, element.action_id, blockKitLimits.actionId);
      });
    }
    if (block.type === "input") {
      check(`${where} label`, block.label, blockKitLimits.inputLabel);
      check(`${where} hint`, block.hint, blockKitLimits.inputHint);
      const element = (block.element ?? {}) as Node;
      check(`${where} placeholder`, element.placeholder, blockKitLimits.placeholder);
      const maximum = Math.min(
        typeof element.max_length === "number" ? element.max_length : blockKitLimits.initialValue,
        blockKitLimits.initialValue,
      );
      check(`${where} initial_value`, element.initial_value, maximum);
      ((element.options ?? []) as Node[]).forEach((option, at) => {
        check(`${where} options[${at}] text`, option.text, blockKitLimits.optionText);
        check(`${where} options[${at}] value`, option.value, blockKitLimits.optionValue);
      });
    }
  });
  return problems;
}

/** The mrkdwn a payload carries (its `text` and every mrkdwn text object), where escapes count. */
export function mrkdwnTexts(message: object): string[] {
  const texts: string[] = [];
  const top = (message as Node).text;
  if (typeof top === "string") texts.push(top);
  JSON.stringify(message, (_key, value: unknown) => {
    const node = value as Node | null;
    if (
      node &&
      typeof node === "object" &&
      node.type === "mrkdwn" &&
      typeof node.text === "string"
    ) {
      texts.push(node.text);
    }
    return value;
  });
  return texts;
}
