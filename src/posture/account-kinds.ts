/** The kinds of Cognitive Services account the guide secures: Document Intelligence, multi-service, and Azure AI services (Foundry). */
export const ACCOUNT_KINDS = ['FormRecognizer', 'CognitiveServices', 'AIServices'];
