/** `"<name> <operation> (<key>)"`, the `where` of error messages. */
export function where(name, operation, ctx) {
    return `${name} ${operation} (${ctx.key})`;
}
//# sourceMappingURL=context.js.map