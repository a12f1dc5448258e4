/** What the owner of a private link target runs to approve a Pending connection (Azure CLI). */
export function approveCommand(connectionId: string): string {
  return `az network private-endpoint-connection approve --id ${connectionId} --description "Approved for secure-docintel"`;
}
