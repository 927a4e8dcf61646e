import { Layer, type LayerOptions } from '../../engine/layer.js';

/**
 * The base of layers built from other layers (residual and inception blocks). Each child
 * has a role (`conv1`, `bn1`…) and is named `<block name>/<role>`, so its weights are
 * `<block name>/<role>/kernel` and stay unique when a model renames the block. Weights,
 * `trainable`, disposal and regularization losses reach the children through
 * `sublayers()`. The block's config holds only its own options; the children are rebuilt
 * from them.
 */
export abstract class CompositeLayer extends Layer {
  private readonly children: { role: string; layer: Layer }[] = [];

  constructor(opts: LayerOptions = {}) {
    super(opts);
  }

  /** The name a child with `role` gets now. */
  protected childName(role: string): string {
    return `${this.name}/${role}`;
  }

  /**
   * Registers a child made with `name: this.childName(role)`, in weight order; it takes
   * the block's current `trainable` setting.
   */
  protected own<L extends Layer>(role: string, layer: L): L {
    layer.setName(this.childName(role));
    layer.trainable = this.trainable;
    this.children.push({ role, layer });
    return layer;
  }

  override sublayers(): Layer[] {
    return this.children.map((c) => c.layer);
  }

  override setName(name: string): void {
    super.setName(name);
    for (const c of this.children) c.layer.setName(this.childName(c.role));
  }

  /** Forgets the children whose weights depend on the input (they are made again by the next build). */
  protected dropChildren(roles: string[]): void {
    for (let i = this.children.length - 1; i >= 0; i -= 1) {
      if (roles.includes(this.children[i]!.role)) this.children.splice(i, 1);
    }
  }
}
