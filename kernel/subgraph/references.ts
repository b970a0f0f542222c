/** The parent of a field on the federated Event entity: subgraphs carry only its key. */
export interface EventRef {
  id: string;
}
