/**
 * A notebook's code cells as one TypeScript module, for a type checker that sees files (deno check, tsc). A kernel
 * lets a later cell declare a name again (`const m = ...` twice); a module does not. So a name declared again gets
 * a new alias from that cell on (`m__c7`), and every later use of it is renamed, as the kernel's scoping would read it.
 */
import ts from 'typescript';

interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Names a cell declares at its top level (const/let/var, functions, classes, types, imports), with their nodes. */
function topLevelDeclarations(sf: ts.SourceFile): ts.Identifier[] {
  const ids: ts.Identifier[] = [];
  const bindings = (n: ts.BindingName) => {
    if (ts.isIdentifier(n)) ids.push(n);
    else for (const e of n.elements) if (!ts.isOmittedExpression(e)) bindings(e.name);
  };
  for (const st of sf.statements) {
    if (ts.isVariableStatement(st)) for (const d of st.declarationList.declarations) bindings(d.name);
    else if (
      (ts.isFunctionDeclaration(st) ||
        ts.isClassDeclaration(st) ||
        ts.isInterfaceDeclaration(st) ||
        ts.isTypeAliasDeclaration(st) ||
        ts.isEnumDeclaration(st)) &&
      st.name
    )
      ids.push(st.name);
    else if (ts.isImportDeclaration(st) && st.importClause) {
      const c = st.importClause;
      if (c.name) ids.push(c.name);
      const nb = c.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) ids.push(nb.name);
      if (nb && ts.isNamedImports(nb)) for (const s of nb.elements) ids.push(s.name);
    }
  }
  return ids;
}

/** Where the top-level statement declaring `id` ends. */
function statementEnd(id: ts.Node): number {
  let n: ts.Node = id;
  while (n.parent && !ts.isSourceFile(n.parent)) n = n.parent;
  return n.getEnd();
}

/** Is this identifier a name in its own right (not a property after a dot, an object key or an import's source)? */
function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isPropertyAssignment(p) && p.name === id) return false;
  if ((ts.isPropertySignature(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) && p.name === id)
    return false;
  if (ts.isImportSpecifier(p) && p.propertyName === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  return true;
}

/** The cells joined into one module, each headed `// cell N`, with redeclared names given per-cell aliases. */
export function cellsAsModule(cells: string[]): string {
  const declared = new Set<string>();
  const alias = new Map<string, string>();
  const out: string[] = [];
  cells.forEach((code, k) => {
    const sf = ts.createSourceFile(`cell${k + 1}.ts`, code, ts.ScriptTarget.ES2022, true);
    const decls = topLevelDeclarations(sf);
    const edits: Edit[] = [];
    // A name declared again takes its new alias after the declaring statement (and at the declaration itself);
    // before that, as when the kernel runs the cell top to bottom, it still means the earlier value.
    const renewed = new Map<string, { to: string; from: number; decl: ts.Identifier }>();
    for (const d of decls) {
      if (declared.has(d.text)) renewed.set(d.text, { to: `${d.text}__c${k + 1}`, from: statementEnd(d), decl: d });
      declared.add(d.text);
    }
    const visit = (n: ts.Node) => {
      if (ts.isIdentifier(n) && isReference(n)) {
        const r = renewed.get(n.text);
        const to = r && (n === r.decl || n.getStart(sf) >= r.from) ? r.to : alias.get(n.text);
        const spec = n.parent;
        if (to && ts.isImportSpecifier(spec) && !spec.propertyName)
          edits.push({ start: n.getStart(sf), end: n.getEnd(), text: `${n.text} as ${to}` });
        else if (to && ts.isShorthandPropertyAssignment(spec))
          edits.push({ start: n.getStart(sf), end: n.getEnd(), text: `${n.text}: ${to}` });
        else if (to) edits.push({ start: n.getStart(sf), end: n.getEnd(), text: to });
      }
      ts.forEachChild(n, visit);
    };
    visit(sf);
    let s = code;
    for (const e of edits.sort((a, b) => b.start - a.start)) s = s.slice(0, e.start) + e.text + s.slice(e.end);
    for (const [name, r] of renewed) alias.set(name, r.to);
    out.push(`// cell ${k + 1}\n${s}`);
  });
  return `${out.join('\n\n')}\nexport {};\n`;
}
