/**
 * Applies a parsed source to a working tree the way dtc does: repeated root nodes and `&ref { }`
 * overlays merge into earlier definitions (later properties override in place, children merge
 * recursively), deletions leave tombstones so a re-added item regains its old place, and labels are
 * kept in dtc's order and checked for duplicates.
 */

import type { AstBodyItem, AstFile, AstLabel, AstNode, AstRef, AstValuePart } from './ast.js';
import { DtsError, formatLocation, type SourceLocation } from './errors.js';

/** A label on a working node or property. */
export interface BuildLabel {
  readonly name: string;
  deleted: boolean;
  readonly loc: SourceLocation;
}

/** A property of the working tree (possibly deleted). */
export class BuildProp {
  labels: BuildLabel[] = [];
  deleted = false;
  constructor(
    readonly name: string,
    public value: readonly AstValuePart[],
    public loc: SourceLocation,
  ) {}
}

/** A node of the working tree (possibly deleted). */
export class BuildNode {
  labels: BuildLabel[] = [];
  readonly props: BuildProp[] = [];
  readonly children: BuildNode[] = [];
  /** Lookup by name over `props` (deleted ones included, as dtc matches them). */
  readonly propIndex = new Map<string, BuildProp>();
  /** Lookup by name over `children` (deleted ones included). */
  readonly childIndex = new Map<string, BuildNode>();
  deleted = false;
  omitIfNoRef = false;
  constructor(
    readonly name: string,
    readonly parent: BuildNode | undefined,
    readonly loc: SourceLocation,
  ) {}

  /** Full path of the node. */
  get path(): string {
    if (this.parent === undefined) return '/';
    const up = this.parent.path;
    return up === '/' ? `/${this.name}` : `${up}/${this.name}`;
  }
}

/** What a label is attached to. */
interface LabelOwner {
  readonly label: BuildLabel;
  readonly node: BuildNode;
  /** Set when the label is on a property of `node`. */
  readonly prop?: BuildProp;
}

/** The working tree after all statements were applied. */
export interface BuiltTree {
  readonly root: BuildNode;
  readonly memreserves: AstFile['memreserves'];
  /** Looks a label up (live labels only). */
  findLabel(name: string): LabelOwner | undefined;
}

/** Applies every statement of `file` in order and returns the working tree. */
export function buildTree(file: AstFile): BuiltTree {
  const first = file.statements[0];
  const rootLoc = first?.kind === 'root' ? first.node.loc : { file: '<input>', line: 1, column: 1 };
  return new TreeBuilder(rootLoc).apply(file);
}

class TreeBuilder {
  private readonly root: BuildNode;
  private readonly labels = new Map<string, LabelOwner>();
  private rootDefined = false;

  constructor(rootLoc: SourceLocation) {
    this.root = new BuildNode('', undefined, rootLoc);
  }

  apply(file: AstFile): BuiltTree {
    for (const st of file.statements) {
      switch (st.kind) {
        case 'root':
          this.merge(this.root, st.node, !this.rootDefined);
          this.rootDefined = true;
          break;
        case 'overlay': {
          const target = this.resolve(st.ref);
          for (const l of st.labels) this.addLabel(target.labels, l, { node: target });
          this.merge(target, st.node, false);
          break;
        }
        case 'delete-node': {
          const target = this.resolve(st.ref);
          if (target === this.root) throw new DtsError(st.ref.loc, 'the root node cannot be deleted');
          deleteNode(target);
          break;
        }
        case 'omit-if-no-ref':
          this.resolve(st.ref).omitIfNoRef = true;
          break;
      }
    }
    const labels = this.labels;
    return {
      root: this.root,
      memreserves: file.memreserves,
      findLabel: (name) => {
        const owner = labels.get(name);
        return owner === undefined || owner.label.deleted ? undefined : owner;
      },
    };
  }

  /** The node a top-level reference names, in the tree as built so far. */
  private resolve(ref: AstRef): BuildNode {
    if (ref.target.startsWith('/')) {
      const node = findLiveByPath(this.root, ref.target);
      if (node === undefined) throw new DtsError(ref.loc, `no node at path '${ref.target}' (in the tree as defined so far)`);
      return node;
    }
    const owner = this.labels.get(ref.target);
    if (owner === undefined || owner.label.deleted) {
      throw new DtsError(ref.loc, `label '${ref.target}' not found (labels used as '&${ref.target} { … }' or in /delete-node/ must be defined earlier)`);
    }
    if (owner.prop !== undefined) throw new DtsError(ref.loc, `label '${ref.target}' is on property '${owner.prop.name}', not on a node`);
    return owner.node;
  }

  /**
   * Merges a node body into `target`. A fresh node takes its labels in source order; labels merged
   * into an existing node are each put in front, so dtc lists them newest first.
   */
  private merge(target: BuildNode, ast: AstNode, fresh: boolean): void {
    target.deleted = false;
    if (ast.omitIfNoRef) target.omitIfNoRef = true;
    this.addLabels(target.labels, ast.labels, fresh, { node: target });
    // dtc keeps a new node's body as written, so a name given twice there is an error; a body merged
    // into an existing node is applied item by item, so there a second definition simply overrides.
    const seen = fresh ? new Map<string, SourceLocation>() : undefined;
    for (const item of ast.items) {
      if (seen !== undefined) checkDuplicate(seen, item, target);
      switch (item.kind) {
        case 'property': {
          const existing = target.propIndex.get(item.name);
          if (existing !== undefined) {
            this.addLabels(existing.labels, item.labels, false, { node: target, prop: existing });
            existing.value = item.value;
            existing.loc = item.loc;
            existing.deleted = false;
          } else {
            const prop = new BuildProp(item.name, item.value, item.loc);
            this.addLabels(prop.labels, item.labels, true, { node: target, prop });
            target.props.push(prop);
            target.propIndex.set(item.name, prop);
          }
          break;
        }
        case 'node': {
          const existing = target.childIndex.get(item.node.name);
          if (existing !== undefined) this.merge(existing, item.node, false);
          else {
            const child = new BuildNode(item.node.name, target, item.node.loc);
            target.children.push(child);
            target.childIndex.set(child.name, child);
            this.merge(child, item.node, true);
          }
          break;
        }
        case 'delete-property': {
          // Deleting something that is not there is silently allowed, as in dtc.
          const prop = target.propIndex.get(item.name);
          if (prop !== undefined && !prop.deleted) deleteProp(prop);
          break;
        }
        case 'delete-node': {
          const child = target.childIndex.get(item.name);
          if (child !== undefined && !child.deleted) deleteNode(child);
          break;
        }
      }
    }
  }

  private addLabels(list: BuildLabel[], labels: readonly AstLabel[], fresh: boolean, owner: Omit<LabelOwner, 'label'>): void {
    if (fresh) for (let i = labels.length - 1; i >= 0; i--) this.addLabel(list, labels[i]!, owner);
    else for (const l of labels) this.addLabel(list, l, owner);
  }

  /** Puts a label in front of `list`, or revives it if the owner already had it. */
  private addLabel(list: BuildLabel[], l: AstLabel, owner: Omit<LabelOwner, 'label'>): void {
    const own = list.find((x) => x.name === l.name);
    const existing = this.labels.get(l.name);
    if (existing !== undefined && !existing.label.deleted && existing.label !== own) {
      const where = existing.prop ? `property '${existing.prop.name}' of ${existing.node.path}` : existing.node.path;
      throw new DtsError(l.loc, `duplicate label '${l.name}': it is already on ${where} (at ${formatLocation(existing.label.loc)})`);
    }
    if (own !== undefined) {
      own.deleted = false;
      this.labels.set(l.name, { ...owner, label: own });
      return;
    }
    const label: BuildLabel = { name: l.name, deleted: false, loc: l.loc };
    list.unshift(label);
    this.labels.set(l.name, { ...owner, label });
  }
}

/** Throws if a fresh node's body defines the same property or child twice. */
function checkDuplicate(seen: Map<string, SourceLocation>, item: AstBodyItem, node: BuildNode): void {
  const key = item.kind === 'node' ? `node ${item.node.name}` : item.kind === 'delete-node' ? `node ${item.name}` : `property ${item.name}`;
  if (item.kind === 'delete-node' || item.kind === 'delete-property') {
    seen.delete(key);
    return;
  }
  const loc = item.kind === 'node' ? item.node.loc : item.loc;
  const first = seen.get(key);
  if (first !== undefined) {
    const what = item.kind === 'node' ? `child node '${item.node.name}'` : `property '${item.name}'`;
    throw new DtsError(loc, `duplicate ${what} in node ${node.path} (first defined at ${formatLocation(first)})`);
  }
  seen.set(key, loc);
}

/** The live node at an absolute path (exact names, unit addresses included, as dtc matches them). */
export function findLiveByPath(root: BuildNode, path: string): BuildNode | undefined {
  let node: BuildNode | undefined = root;
  for (const part of path.split('/')) {
    if (part === '') continue;
    const child: BuildNode | undefined = node.childIndex.get(part);
    if (child === undefined || child.deleted) return undefined;
    node = child;
  }
  return node;
}

function deleteProp(prop: BuildProp): void {
  prop.deleted = true;
  for (const l of prop.labels) l.deleted = true;
}

/** Deletes a node with everything below it (labels included), leaving tombstones. */
export function deleteNode(node: BuildNode): void {
  node.deleted = true;
  for (const l of node.labels) l.deleted = true;
  for (const p of node.props) deleteProp(p);
  for (const c of node.children) deleteNode(c);
}
