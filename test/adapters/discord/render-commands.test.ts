import { describe, expect, it } from "vitest";
import { renderCommands } from "../../../adapters/discord/render-commands.ts";
import { commands, messageActions } from "../../../commands/index.ts";

describe("renderCommands", () => {
  const rendered = renderCommands(commands, messageActions);

  it("matches the registered JSON", () => {
    expect(rendered).toMatchSnapshot();
  });

  it("stays within Discord's limits", () => {
    for (const command of rendered) {
      expect(command.name).toMatch(/^[-_\p{Ll}\p{N}]{1,32}$|^[\w -]{1,32}$/u);
      if ("description" in command) expect(command.description?.length).toBeLessThanOrEqual(100);
      const options = "options" in command ? (command.options ?? []) : [];
      expect(options.length).toBeLessThanOrEqual(25);
      let seenOptional = false;
      for (const option of options) {
        expect(option.description.length).toBeLessThanOrEqual(100);
        if (!option.required) seenOptional = true;
        else
          expect(seenOptional, `${command.name}.${option.name} required after optional`).toBe(
            false,
          );
        if ("choices" in option) expect(option.choices?.length ?? 0).toBeLessThanOrEqual(25);
      }
    }
  });

  it("renders attachments filtered by kind, enums as choices and the Animate menu", () => {
    const animate = rendered.find((command) => command.name === "animate");
    expect(animate && "options" in animate ? animate.options?.[0] : undefined).toEqual({
      type: 11,
      name: "image",
      description: "The first frame (JPEG, PNG or WebP)",
      required: true,
      file_types: ["image"],
    });
    const menu = rendered.find((command) => command.name === "Animate");
    expect(menu).toMatchObject({ type: 3 });
    const cancel = rendered.find((command) => command.name === "cancel");
    expect(cancel && "options" in cancel ? cancel.options?.[0] : undefined).toMatchObject({
      autocomplete: true,
    });
  });
});
