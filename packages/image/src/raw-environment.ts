/** What a parser extracts from a file before specs are validated: every entry keeps its position for errors. */
export interface PositionedText {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/** The parsed but not yet validated content of any supported environment file. */
export interface RawEnvironment {
  readonly file: string;
  readonly kind: "conda-environment" | "requirements" | "explicit-lockfile";
  readonly name: string | undefined;
  readonly channels: readonly PositionedText[];
  readonly conda: readonly PositionedText[];
  readonly explicit: readonly PositionedText[];
  readonly pip: readonly PositionedText[];
  readonly variables: readonly (PositionedText & { readonly key: string })[];
  readonly notices: readonly string[];
}
