/** The words of an explanation: a title and a paragraph with the measured numbers in it. */
export interface Description {
  title: string;
  summary: string;
}
